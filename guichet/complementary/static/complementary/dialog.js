// Progressive enhancement of the overlap message (seed 003): without JavaScript it is a section
// of the page; here it becomes a modal dialog. The focus cycles inside it (the browser would let
// it leave for its own toolbar), and Escape closes it, meaning "Plus tard": the message does not
// come back in this session.
(function () {
  var dialog = document.getElementById("overlap-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  dialog.close();
  dialog.showModal();
  var focusable = dialog.querySelectorAll("a[href], button, input, select, textarea");
  var first = focusable[0];
  var last = focusable[focusable.length - 1];
  dialog.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || !first) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
  var later = dialog.querySelector("form.overlap-later");
  dialog.addEventListener("cancel", function () {
    if (later) {
      // keepalive: the request survives the member leaving the page right away
      fetch(later.action, { method: "POST", body: new FormData(later), credentials: "same-origin", redirect: "manual", keepalive: true });
    }
  });
})();
