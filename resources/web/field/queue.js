/* The outbox: what the phone has to send, kept in IndexedDB until the server answers.
 *
 * Each item has an idempotency key made when the user pressed submit; the server
 * files an item once per key, so sending it again (lost answer, server down
 * mid-upload, two tabs replaying) never files it twice.  Items are deleted only
 * after the server's answer (201 filed, 200 filed before).  A refusal (bad data,
 * no permission) stays in the outbox marked with the message until the user
 * deletes it: nothing is lost silently.
 */
"use strict";
const Outbox = (() => {
  const DB = "gridapp-field", STORE = "outbox", TRACK = "track";
  let dbPromise = null;

  function open() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const req = indexedDB.open(DB, 1);
        req.onupgradeneeded = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: "key" });
          if (!db.objectStoreNames.contains(TRACK)) db.createObjectStore(TRACK, { keyPath: "id" });
        };
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    return dbPromise;
  }

  async function tx(store, mode, fn) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const t = db.transaction(store, mode);
      const s = t.objectStore(store);
      let result;
      Promise.resolve(fn(s)).then((r) => { result = r; });
      t.oncomplete = () => resolve(result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  }

  function req(r) {
    return new Promise((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  }

  function newKey() {
    if (self.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  }

  return {
    newKey,
    async add(item) {
      item.created = item.created || Date.now();
      item.state = "waiting";
      await tx(STORE, "readwrite", (s) => s.put(item));
      return item;
    },
    async all() {
      const items = await tx(STORE, "readonly", (s) => req(s.getAll()));
      return (items || []).sort((a, b) => a.created - b.created);
    },
    async put(item) { await tx(STORE, "readwrite", (s) => s.put(item)); },
    async remove(key) { await tx(STORE, "readwrite", (s) => s.delete(key)); },
    async count() { return (await this.all()).length; },
    async trackGet() { return tx(TRACK, "readonly", (s) => req(s.get("current"))); },
    async trackPut(track) { await tx(TRACK, "readwrite", (s) => s.put({ ...track, id: "current" })); },
    async trackClear() { await tx(TRACK, "readwrite", (s) => s.delete("current")); },
  };
})();
