// The share block's QR code of the page's address (on screen "分享", in print "本页地址"), drawn here in the
// browser. Made in Python at build time it cost about 4 ms per page and edition (a third of a story page's
// build); here it costs the reader a few milliseconds once. The library is vendored: no CDN.
// kiosk.js imports qrSvg for its 带走 code (the list of a visitor's 收藏).
import { encode } from "./vendor/uqr.mjs";

const SVG = "http://www.w3.org/2000/svg";

export function qrSvg(text, label) {
  const { data, size } = encode(text, { ecc: "M", border: 2 });
  let path = "";
  data.forEach((row, y) => {
    for (let x = 0; x < size; x++) {
      if (!row[x]) continue;
      let end = x;
      while (end < size && row[end]) end++;
      path += `M${x} ${y + 0.5}h${end - x}`;
      x = end;
    }
  });
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "ql-qr");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("shape-rendering", "crispEdges");
  svg.innerHTML = `<rect width="${size}" height="${size}" fill="#fff"/><path stroke="#000" d="${path}"/>`;
  return svg;
}

for (const slot of document.querySelectorAll("[data-ql-qr]")) {
  slot.replaceWith(qrSvg(slot.dataset.qlQr, slot.dataset.qlQrLabel || ""));
}
