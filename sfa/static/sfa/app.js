// Small behaviours of the staff UI: close the global search with Escape or a click elsewhere,
// and focus it with "/".
document.addEventListener("keydown", function (event) {
  var box = document.querySelector(".globalsearch input");
  if (!box) return;
  if (event.key === "Escape") { document.getElementById("search-results").innerHTML = ""; }
  if (event.key === "/" && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) {
    event.preventDefault(); box.focus();
  }
});
document.addEventListener("click", function (event) {
  var results = document.getElementById("search-results");
  if (results && !event.target.closest(".globalsearch")) { results.innerHTML = ""; }
});
