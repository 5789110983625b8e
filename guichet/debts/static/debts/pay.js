// "N références sélectionné(es)" and "Solde total à payer" follow the boxes as they are ticked.
(function () {
  var form = document.getElementById("payment-form");
  if (!form) return;
  var count = document.getElementById("selected-count");
  var total = document.getElementById("selected-total");
  function euros(cents) {
    var units = Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0");
    return units + "," + String(cents % 100).padStart(2, "0") + "\u00a0€";
  }
  function update() {
    var boxes = form.querySelectorAll('input[name="notices"]:checked');
    var cents = 0;
    boxes.forEach(function (box) { cents += Math.round(parseFloat(box.dataset.payable) * 100); });
    count.textContent = boxes.length;
    total.textContent = euros(cents);
  }
  form.addEventListener("change", update);
})();
