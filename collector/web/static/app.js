// Small helpers for every page (no inline scripts: the pages' CSP allows only files from this site).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) { window.print(); }
});
