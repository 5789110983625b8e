// Off to the kiosk at once; without JavaScript the member presses the button.
document.getElementById("to-kiosk").submit();
