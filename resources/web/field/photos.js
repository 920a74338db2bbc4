/* Photos shrunk on the phone before they are queued and sent.
 *
 * A camera's 12 MP photo is 2-5 MB: over a weak 4G link that is seconds of upload per
 * photo, and the server keeps at most PHOTO_SIDE px anyway.  So the page sends what
 * the server would keep: the photo decoded with createImageBitmap (off the page's
 * thread, upright by its EXIF orientation), drawn on a canvas of at most PHOTO_SIDE px
 * on its long side, encoded as a JPEG at quality 0.85, and the camera's own EXIF block
 * (the APP1 segment: GPS position, time taken) copied into the new file, its
 * orientation tag set to 1 because the pixels are upright now.  The server re-encodes
 * it again (it strips everything but the GPS position) and reads position and time from
 * that EXIF.
 *
 * createImageBitmap rather than an <img>: it takes the File itself (no object URL, no
 * element), decodes without blocking the page and is told explicitly to apply the EXIF
 * orientation.  The scaling is left to the canvas (drawImage, high smoothing), where the
 * upright size is known; createImageBitmap's own resize options combine with the
 * orientation differently from one browser to another.
 *
 * Nothing is lost: a photo the browser cannot decode (HEIC in Chrome), a JPEG already
 * small enough, or any failure sends the original file unchanged, as does a shrunk file
 * that came out larger than the original.
 */
"use strict";
const FieldPhotos = (() => {
  const QUALITY = 0.85;
  const DEFAULT_SIDE = 1280;

  // The APP1 "Exif\0\0" segment of a JPEG (marker and length included), or null.
  function exifSegment(bytes) {
    if (bytes.length < 4 || bytes[0] !== 0xFF || bytes[1] !== 0xD8) return null;
    let i = 2;
    while (i + 4 <= bytes.length) {
      if (bytes[i] !== 0xFF) return null;
      const marker = bytes[i + 1];
      if (marker === 0xFF) { i += 1; continue; }  // fill byte
      if (marker === 0xDA || marker === 0xD9) return null;  // the picture starts: no EXIF
      const len = (bytes[i + 2] << 8) | bytes[i + 3];
      if (len < 2) return null;
      if (marker === 0xE1 && len >= 16 && i + 2 + len <= bytes.length &&
          String.fromCharCode(...bytes.subarray(i + 4, i + 10)) === "Exif\0\0") {
        return bytes.slice(i, i + 2 + len);
      }
      i += 2 + len;
    }
    return null;
  }

  // The segment with IFD0's Orientation (0x0112) set to 1 (top-left), in place.
  function uprightExif(segment) {
    try {
      const tiff = 10;  // FF E1, length, "Exif\0\0"
      const view = new DataView(segment.buffer, segment.byteOffset, segment.byteLength);
      const little = view.getUint16(tiff) === 0x4949;  // "II"
      const ifd0 = tiff + view.getUint32(tiff + 4, little);
      const count = view.getUint16(ifd0, little);
      for (let n = 0; n < count; n++) {
        const entry = ifd0 + 2 + n * 12;
        if (view.getUint16(entry, little) === 0x0112) {
          view.setUint16(entry + 8, 1, little);
          break;
        }
      }
    } catch (e) { /* a damaged block is sent as it is; the server reads what it can */ }
    return segment;
  }

  // *jpeg* (Uint8Array from the canvas) with *segment* inserted after SOI and JFIF's APP0.
  function withSegment(jpeg, segment) {
    let at = 2;
    if (jpeg[2] === 0xFF && jpeg[3] === 0xE0) at = 4 + ((jpeg[4] << 8) | jpeg[5]);
    return [jpeg.subarray(0, at), segment, jpeg.subarray(at)];
  }

  async function decode(file) {
    if (self.createImageBitmap) {
      try {
        return await createImageBitmap(file, { imageOrientation: "from-image" });
      } catch (e) { /* an old browser without the options, or not decodable: below */ }
    }
    const url = URL.createObjectURL(file);
    try {
      const img = new Image();
      img.src = url;
      await img.decode();
      return img;
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  function encode(canvas) {
    return new Promise((resolve, reject) => canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error("toBlob"))), "image/jpeg", QUALITY));
  }

  function jpegName(name) {
    const base = (name || "photo").replace(/\.[^./]*$/, "");
    return base + ".jpg";
  }

  /* The photo to send: *file* shrunk to at most *side* px on its long side, with its
   * EXIF; the original *file* when it already fits (a JPEG), cannot be decoded, or
   * anything fails.  Never throws. */
  async function shrink(file, side) {
    side = side || DEFAULT_SIDE;
    let picture = null;
    try {
      picture = await decode(file);
      const w = picture.width, h = picture.height;
      const long = Math.max(w, h);
      if (!long) return file;
      if (long <= side && file.type === "image/jpeg") return file;
      const scale = Math.min(1, side / long);
      const canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(w * scale));
      canvas.height = Math.max(1, Math.round(h * scale));
      const ctx = canvas.getContext("2d");
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = "high";
      ctx.drawImage(picture, 0, 0, canvas.width, canvas.height);
      const blob = await encode(canvas);
      canvas.width = canvas.height = 0;  // let the phone have the memory back now
      const head = new Uint8Array(await file.slice(0, 256 * 1024).arrayBuffer());
      const exif = exifSegment(head);
      const parts = exif ? withSegment(new Uint8Array(await blob.arrayBuffer()), uprightExif(exif))
        : [blob];
      const out = new File(parts, jpegName(file.name),
        { type: "image/jpeg", lastModified: file.lastModified });
      return out.size < file.size ? out : file;
    } catch (e) {
      if (self.console) console.warn("photo sent as taken (not shrunk):", file.name, e);
      return file;
    } finally {
      if (picture && picture.close) picture.close();
    }
  }

  return { shrink, exifSegment, uprightExif, DEFAULT_SIDE, QUALITY };
})();
if (typeof self !== "undefined") self.FieldPhotos = FieldPhotos;
