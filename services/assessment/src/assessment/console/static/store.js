// What the app keeps on the tablet, in IndexedDB: the worker's own case files as
// last read, the questionnaire drafts with their revision, and the outbox of
// writes not yet accepted by the server. Survives a closed tab; wiped at sign-out.
const NAME = "inson-tablet";
let opened;

export function open() {
  if (!opened) {
    opened = new Promise((resolve, reject) => {
      const request = indexedDB.open(NAME, 1);
      request.onupgradeneeded = () => {
        const db = request.result;
        db.createObjectStore("cases", { keyPath: "case_id" });
        db.createObjectStore("files", { keyPath: "case_id" });
        db.createObjectStore("drafts", { keyPath: "case_id" });
        db.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
        db.createObjectStore("meta");
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  return opened;
}

async function run(name, mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(name, mode);
    const request = work(tx.objectStore(name));
    tx.oncomplete = () => resolve(request ? request.result : undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export const get = (name, key) => run(name, "readonly", (s) => s.get(key));
export const all = (name) => run(name, "readonly", (s) => s.getAll());
export const put = (name, value, key) =>
  run(name, "readwrite", (s) => (key === undefined ? s.put(value) : s.put(value, key)));
export const remove = (name, key) => run(name, "readwrite", (s) => s.delete(key));

export function replaceAll(name, values) {
  return run(name, "readwrite", (s) => {
    s.clear();
    for (const value of values) s.put(value);
  });
}

// Sign-out: nothing of the worker's stays on the device.
export async function wipe() {
  if (opened) {
    (await opened).close();
    opened = undefined;
  }
  await new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(NAME);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
  if (self.caches) {
    for (const key of await caches.keys()) await caches.delete(key);
  }
}
