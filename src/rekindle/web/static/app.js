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
document.addEventListener("DOMContentLoaded", function () {
  var current = document.querySelector('.top nav [aria-current="page"]');
  var strip = current && current.closest("ul");
  if (!strip || strip.scrollWidth <= strip.clientWidth) return;
  var li = current.closest("li");
  strip.scrollLeft = li.offsetLeft - (strip.clientWidth - li.offsetWidth) / 2;
});
