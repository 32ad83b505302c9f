// Rekindle's only script besides htmx: the Copy button on the compose page, and the phone's
// nav strip scrolled to show the current page.
// Served from /static so the Content-Security-Policy needs no inline script.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var source = document.getElementById(button.getAttribute("data-copy"));
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.value || source.textContent).then(function () {
    button.textContent = "Copied";
  });
});

// A new request clears the last error message shown in the page's message area.
document.addEventListener("htmx:beforeRequest", function () {
  var flash = document.getElementById("flash");
  if (flash) flash.innerHTML = "";
});

// On a phone the nav is a strip that scrolls sideways: show the current page in it.
// Once scrolled, its left edge fades too: there are pages that way.
document.addEventListener("DOMContentLoaded", function () {
  var strip = document.querySelector(".top nav ul");
  if (!strip || strip.scrollWidth <= strip.clientWidth) return;
  var mark = function () { strip.classList.toggle("scrolled", strip.scrollLeft > 4); };
  strip.addEventListener("scroll", mark, { passive: true });
  var current = strip.querySelector('[aria-current="page"]');
  if (current) {
    var li = current.closest("li");
    strip.scrollLeft = li.offsetLeft - (strip.clientWidth - li.offsetWidth) / 2;
  }
  mark();
});
