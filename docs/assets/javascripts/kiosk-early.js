/* 清廉慈利 kiosk: loaded in <head>, before the theme's script. Errors before kiosk.js has loaded are
   remembered; kiosk.js then sends the kiosk home. A file, not inline code, so the page's CSP needs no hash. */
window.qinglianKioskErrors = [];
addEventListener("error", function (e) { window.qinglianKioskErrors.push(String(e.message)); });
addEventListener("unhandledrejection", function () { window.qinglianKioskErrors.push("rejection"); });
