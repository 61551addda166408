// Print views: a button with data-print opens the browser's print dialogue (no inline handlers: the
// Content-Security-Policy allows scripts from our own files only).
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
});
