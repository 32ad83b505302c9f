// Rekindle's only script besides htmx: the Copy button on the compose page.
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
