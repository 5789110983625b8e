// Progressive enhancement: the print page opens the browser's print dialog by itself.
window.addEventListener("load", function () { window.print(); });
