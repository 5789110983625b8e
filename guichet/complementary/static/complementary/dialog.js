// Progressive enhancement of the overlap message (seed 003): without JavaScript it is a section
// of the page; here it becomes a modal dialog, which keeps the focus inside and closes on Escape.
// Escape means "Plus tard": the message does not come back in this session.
(function () {
  var dialog = document.getElementById("overlap-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  dialog.close();
  dialog.showModal();
  var later = dialog.querySelector("form.overlap-later");
  dialog.addEventListener("cancel", function () {
    if (later) {
      fetch(later.action, { method: "POST", body: new FormData(later), credentials: "same-origin", redirect: "manual" });
    }
  });
})();
