// Progressive enhancement: what the member typed is kept as a draft if they leave the page
// without sending it (the "Enregistrer le brouillon" button does the same without JavaScript).
(function () {
  var form = document.querySelector("form[data-draft-autosave]");
  if (!form || !navigator.sendBeacon) { return; }
  var changed = false, submitted = false;
  form.addEventListener("input", function () { changed = true; });
  form.addEventListener("submit", function () { submitted = true; });
  window.addEventListener("pagehide", function () {
    if (!changed || submitted) { return; }
    var data = new FormData();
    ["csrfmiddlewaretoken", "topic", "subject", "body"].forEach(function (name) {
      var field = form.elements[name];
      if (field) { data.append(name, field.value); }
    });
    data.append("action", "draft");
    data.append("silent", "1");
    navigator.sendBeacon(form.action || window.location.href, data);
  });
})();
