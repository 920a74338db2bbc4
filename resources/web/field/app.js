/* GridApp 外勤: the phone page (login, 上报, 我的案件, 巡查, the outbox). */
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const state = {
    me: null, fix: null, pin: null, source: "gps", category: null, categories: [],
    photos: [], map: null, marker: null, watch: null, patrol: null, flushing: false,
    results: {}, photoCase: null,
  };
  const WARN_ACCURACY_M = 100;

  // -- helpers ------------------------------------------------------------------------
  function cookie(name) {
    const m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }
  function csrf() { return (state.me && state.me.csrf) || cookie("gridapp_csrf"); }
  function say(id, text, kind) {
    const el = $(id);
    el.textContent = text || "";
    el.className = "msg" + (kind ? " " + kind : "");
  }
  async function api(path, options = {}) {
    const headers = Object.assign({ "X-CSRF-Token": csrf() }, options.headers || {});
    let body = options.body;
    if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    const response = await fetch("/api/" + path, {
      method: options.method || (body ? "POST" : "GET"), headers, body,
      credentials: "same-origin", cache: "no-store",
    });
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    return { status: response.status, ok: response.ok, data };
  }
  function fmtTime(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    return d.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", month: "numeric",
      day: "numeric", hour: "2-digit", minute: "2-digit" });
  }
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === "class") e.className = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    });
    children.flat().forEach((c) => e.append(c instanceof Node ? c : document.createTextNode(c)));
    return e;
  }

  // -- views ----------------------------------------------------------------------------
  function show(view) {
    document.querySelectorAll(".view").forEach((v) => { v.hidden = v.id !== "view-" + view; });
    document.querySelectorAll("#tabs button[data-view]").forEach((b) =>
      b.classList.toggle("active", b.dataset.view === view));
    if (view === "report") startReport();
    if (view === "cases") loadCases();
    if (view === "outbox") renderOutbox();
  }

  async function loggedIn(me) {
    state.me = me;
    $("who").textContent = me.user.display_name + " · " + me.user.role_label;
    $("tabs").hidden = false;
    show("report");
    loadCategories();
    loadGrids();
    flush();
  }

  function loggedOut(message) {
    state.me = null;
    $("who").textContent = "";
    $("tabs").hidden = true;
    document.querySelectorAll(".view").forEach((v) => { v.hidden = v.id !== "view-login"; });
    say("login-msg", message || "", message ? "error" : "");
  }

  $("login-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    say("login-msg", "正在登录…");
    try {
      const r = await api("login", { json: { username: $("login-user").value,
        password: $("login-pass").value } });
      if (r.ok) { $("login-pass").value = ""; say("login-msg", ""); loggedIn(r.data); }
      else say("login-msg", (r.data && r.data.error) || "登录失败", "error");
    } catch (e) { say("login-msg", "无法连接服务器，请检查网络（需连接办公室 Wi-Fi）", "error"); }
  });

  $("logout").addEventListener("click", async () => {
    try { await api("logout", { method: "POST" }); } catch (e) { /* offline: forget locally */ }
    loggedOut("已退出登录");
  });

  document.querySelectorAll("#tabs button[data-view]").forEach((b) =>
    b.addEventListener("click", () => show(b.dataset.view)));
  $("outbox-badge").addEventListener("click", () => show("outbox"));

  // -- 上报: position ------------------------------------------------------------------
  function startReport() {
    if (!state.map) {
      L.Icon.Default.imagePath = "/leaflet/images/";
      state.map = L.map("map", { zoomControl: true, attributionControl: false })
        .setView([26.57, 106.70], 15);
      state.map.on("click", (e) => setPin(e.latlng.lng, e.latlng.lat, "drag"));
    }
    setTimeout(() => state.map.invalidateSize(), 50);
    if (state.watch === null && navigator.geolocation) {
      state.watch = navigator.geolocation.watchPosition(onFix, onNoFix,
        { enableHighAccuracy: true, maximumAge: 5000, timeout: 20000 });
    } else if (!navigator.geolocation) {
      onNoFix({ code: 0 });
    }
  }

  function onFix(pos) {
    const c = pos.coords;
    state.fix = { lon: c.longitude, lat: c.latitude, accuracy: c.accuracy };
    const acc = Math.round(c.accuracy);
    const gps = $("gps");
    if (acc > WARN_ACCURACY_M) {
      gps.textContent = "GPS 精度较差（±" + acc + " 米），请拖动标记到准确位置";
      gps.className = "gps warn";
    } else {
      gps.textContent = "已定位，精度 ±" + acc + " 米";
      gps.className = "gps";
    }
    if (state.source !== "drag") setPin(c.longitude, c.latitude, "gps");
  }

  function onNoFix(err) {
    if (state.fix) return;
    const gps = $("gps");
    gps.className = "gps bad";
    gps.textContent = err && err.code === 1
      ? "未获得定位权限：请在浏览器设置中允许定位，或在地图上点选位置"
      : "暂未取得 GPS 定位：请在地图上点选位置，或使用带位置的照片";
  }

  function setPin(lon, lat, source) {
    state.pin = { lon, lat };
    state.source = source;
    if (!state.marker) {
      state.marker = L.marker([lat, lon], { draggable: true }).addTo(state.map);
      state.marker.on("dragend", () => {
        const p = state.marker.getLatLng();
        setPin(p.lng, p.lat, "drag");
      });
    } else {
      state.marker.setLatLng([lat, lon]);
    }
    if (source !== "drag") state.map.setView([lat, lon], Math.max(state.map.getZoom(), 16));
    checkDuplicates();
  }

  async function loadGrids() {
    try {
      const r = await api("grids");
      if (!r.ok || !r.data.features.length) return;
      const layer = L.geoJSON(r.data, { style: { color: "#1f5f8b", weight: 2, fillOpacity: 0.08 },
        onEachFeature: (f, l) => l.bindTooltip(f.properties.name || f.properties.code || "") });
      layer.addTo(state.map);
      if (!state.pin) state.map.fitBounds(layer.getBounds());
    } catch (e) { /* offline: the map still takes taps */ }
  }

  // -- 上报: category picker (name, code, pinyin initials) ---------------------------------
  async function loadCategories() {
    try {
      const r = await api("categories");
      if (r.ok) {
        state.categories = r.data;
        localStorage.setItem("gridapp-categories", JSON.stringify(r.data));
      }
    } catch (e) {
      state.categories = JSON.parse(localStorage.getItem("gridapp-categories") || "[]");
    }
    renderCategories();
  }

  function matches(c, text) {
    if (!text) return true;
    const t = text.toLowerCase();
    return c.code.startsWith(t) || (c.pinyin || "").toLowerCase().includes(t) ||
      c.name.includes(text) || (c.class_name || "").includes(text);
  }

  function renderCategories() {
    const text = $("cat-search").value.trim();
    const list = $("cat-list");
    list.replaceChildren();
    if (state.category && !text) return;
    state.categories.filter((c) => matches(c, text)).slice(0, 30).forEach((c) => {
      list.append(el("li", { "data-id": c.id, onclick: () => chooseCategory(c) },
        c.name, el("small", {}, c.class_name + " " + c.code)));
    });
  }

  function chooseCategory(c) {
    state.category = c;
    $("cat-chosen").hidden = false;
    $("cat-chosen").textContent = "已选：" + c.name + "（" + c.class_name + "）";
    $("cat-search").value = "";
    renderCategories();
    checkDuplicates();
  }
  $("cat-search").addEventListener("input", renderCategories);

  // -- 上报: near-duplicates ---------------------------------------------------------------
  let dupTimer = null;
  function checkDuplicates() {
    clearTimeout(dupTimer);
    dupTimer = setTimeout(async () => {
      const box = $("dups");
      if (!state.pin || !state.category) { box.hidden = true; return; }
      try {
        const r = await api("check", { json: { lon: state.pin.lon, lat: state.pin.lat,
          category_id: state.category.id } });
        box.replaceChildren();
        if (!r.ok) {
          box.append(el("p", { class: "error" }, r.data.error));
          box.hidden = false;
          return;
        }
        if (r.data.duplicates.length) {
          box.append(el("p", {}, "附近已有同类未办结案件，可能重复："));
          box.append(el("ul", {}, r.data.duplicates.map((d) => el("li", {},
            d.case_no + "（" + d.status + "，约 " + d.distance_m + " 米）" + d.description))));
          box.append(el("p", { class: "hint" }, "若是同一问题，可不再上报；仍要上报请直接提交。"));
          box.hidden = false;
        } else {
          box.hidden = true;
        }
        $("gps").dataset.grid = r.data.grid_code;
      } catch (e) { box.hidden = true; }
    }, 300);
  }

  // -- 上报: photos and submit ---------------------------------------------------------------
  // Photos are shrunk to what the server keeps as soon as they are chosen (photos.js);
  // the limit applies to what will be sent, so a 40 MB photo the phone can shrink goes.
  function photoSide() { return (state.me && state.me.photo_side) || FieldPhotos.DEFAULT_SIDE; }
  function tooBig(files, msgId) {
    const max = (state.me ? state.me.max_photo_mb : 20) * 1024 * 1024;
    const big = files.filter((f) => f.size > max);
    if (big.length) {
      say(msgId, "照片太大（每张最多 " + (max >> 20) + " MB）：" +
        big.map((f) => f.name).join("、") + "，请降低相机分辨率", "error");
    }
    return files.filter((f) => f.size <= max);
  }
  async function preparePhotos(files, msgId) {
    say(msgId, "正在处理照片…");
    const ready = await Promise.all(files.map((f) => FieldPhotos.shrink(f, photoSide())));
    say(msgId, "");
    return tooBig(ready, msgId);
  }
  $("photos").addEventListener("change", () => {
    const files = Array.from($("photos").files);
    $("photos").value = "";
    state.photosReady = (state.photosReady || Promise.resolve()).then(async () => {
      const ready = await preparePhotos(files, "report-msg");
      state.photos = state.photos.concat(ready).slice(0, state.me ? state.me.max_photos : 9);
      const thumbs = $("thumbs");
      thumbs.replaceChildren(...state.photos.map((f) => el("img", {
        src: URL.createObjectURL(f), alt: f.name, "data-bytes": String(f.size) })));
    });
  });

  $("report-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (state.photosReady) await state.photosReady;  // photos still being shrunk
    if (!state.category) { say("report-msg", "请选择事件分类", "error"); return; }
    if (!state.pin && !state.photos.length) {
      say("report-msg", "没有位置：请在地图上点选位置", "error"); return;
    }
    const fields = {
      category_id: String(state.category.id), description: $("desc").value,
      urgency: $("urgent").checked ? "urgent" : "normal",
      position_source: state.source,
    };
    if (state.pin) { fields.lon = String(state.pin.lon); fields.lat = String(state.pin.lat); }
    if (state.fix && state.source === "gps") fields.accuracy = String(state.fix.accuracy);
    const item = await Outbox.add({ key: Outbox.newKey(), kind: "report", path: "reports",
      label: state.category.name + " " + ($("desc").value || "").slice(0, 20),
      fields, files: state.photos.slice() });
    state.photos = [];
    $("thumbs").replaceChildren();
    $("desc").value = "";
    $("urgent").checked = false;
    say("report-msg", "正在提交…");
    await flush();
    const result = state.results[item.key];
    if (result && result.ok) {
      say("report-msg", "已上报，案件编号 " + result.data.case_no, "ok");
    } else if (result && result.refused) {
      say("report-msg", "未能提交：" + result.error + "（已保存在“待发送”中，可修改后重发或删除）", "error");
    } else {
      say("report-msg", "暂时无法连接服务器：已保存在手机上，恢复连接后自动发送", "");
    }
  });

  // -- 我的案件 ------------------------------------------------------------------------------
  async function loadCases() {
    say("cases-msg", "正在读取…");
    try {
      const r = await api("cases");
      if (r.status === 401) { loggedOut(r.data.error); return; }
      if (!r.ok) { say("cases-msg", r.data.error, "error"); return; }
      say("cases-msg", r.data.length ? "" : "暂无案件");
      $("cases").replaceChildren(...r.data.map(caseItem));
    } catch (e) {
      say("cases-msg", "无法连接服务器，稍后再试", "error");
    }
  }

  function caseItem(c) {
    const due = c.deadline ? "期限 " + fmtTime(c.deadline) : "未派遣";
    const acts = c.actions.map((a) => el("button", { "data-action": a.id, onclick: () =>
      caseAction(c, a) }, a.label));
    if (c.can_add_photos) {
      acts.push(el("button", { onclick: () => { state.photoCase = c; $("case-photos").click(); } },
        "补充照片"));
    }
    const detail = el("div", { class: "detail", hidden: "" });
    acts.push(el("button", { class: "more", onclick: () => toggleDetail(c, detail) }, "详情"));
    return el("li", { "data-case": c.case_no },
      el("div", { class: "title" }, c.case_no + " · " + c.category),
      el("div", { class: "meta" }, c.status_label + " · ",
        el("span", { class: "due-" + (c.due_state || "none") }, due)),
      el("div", { class: "meta" }, c.address || ""),
      el("div", {}, c.description || ""),
      el("div", { class: "acts" }, acts), detail);
  }

  // A case's detail: read when asked (the server logs each read), photos from /api/photos.
  async function toggleDetail(c, box) {
    if (!box.hidden) { box.hidden = true; return; }
    box.hidden = false;
    box.replaceChildren(el("p", { class: "hint" }, "正在读取…"));
    try {
      const r = await api("cases/" + c.id);
      if (r.status === 401) { loggedOut(r.data.error); return; }
      if (!r.ok) { box.replaceChildren(el("p", { class: "error" }, r.data.error)); return; }
      const d = r.data;
      box.replaceChildren(
        el("div", { class: "meta" }, [d.grid_code, d.community, d.department].filter(Boolean)
          .join(" · ")),
        d.reporter_name || d.reporter_phone ? el("div", { class: "meta" }, "上报人：" +
          [d.reporter_name, d.reporter_phone].filter(Boolean).join(" ")) : "",
        el("div", { class: "thumbs" }, d.photos.map((p) => el("img", {
          src: "/api/photos/" + p.id, alt: "照片 " + p.id, loading: "lazy" }))),
        el("ol", { class: "events" }, d.events.map((e) => el("li", {},
          fmtTime(e.at) + " " + (e.action_label || e.action) + (e.department ? "（" + e.department + "）" : "") +
          (e.note ? "：" + e.note : "")))));
    } catch (e) {
      box.replaceChildren(el("p", { class: "error" }, "无法连接服务器，稍后再试"));
    }
  }

  async function caseAction(c, a) {
    let note = "";
    if (a.needs_note) {
      note = prompt(a.label + "：请填写原因") || "";
      if (!note.trim()) return;
    }
    await Outbox.add({ key: Outbox.newKey(), kind: "action", path: "cases/" + c.id + "/action",
      label: a.label + " " + c.case_no, json: { action: a.id, note } });
    await flush();
    loadCases();
  }

  $("case-photos").addEventListener("change", async () => {
    const c = state.photoCase;
    let files = Array.from($("case-photos").files);
    $("case-photos").value = "";
    if (!c || !files.length) return;
    files = await preparePhotos(files, "cases-msg");
    if (!files.length) return;
    await Outbox.add({ key: Outbox.newKey(), kind: "photos", path: "cases/" + c.id + "/photos",
      label: "补充照片 " + c.case_no, fields: {}, files });
    await flush();
    say("cases-msg", "照片已加入发送队列", "ok");
  });
  $("cases-refresh").addEventListener("click", loadCases);

  // -- 巡查 -------------------------------------------------------------------------------------
  function patrolStats() {
    const t = state.patrol;
    if (!t) { $("patrol-stats").textContent = ""; return; }
    let m = 0;
    for (let i = 1; i < t.points.length; i++) {
      const [a, b] = [t.points[i - 1], t.points[i]];
      const dy = (b[1] - a[1]) * 111320, dx = (b[0] - a[0]) * 111320 * Math.cos(a[1] * Math.PI / 180);
      m += Math.hypot(dx, dy);
    }
    const min = Math.round((Date.now() - t.started) / 60000);
    $("patrol-stats").textContent = t.points.length + " 个点 · 约 " + Math.round(m) + " 米 · " + min + " 分钟";
  }

  async function startPatrol() {
    state.patrol = { started: Date.now(), points: [] };
    await Outbox.trackPut(state.patrol);
    state.patrol.watch = navigator.geolocation.watchPosition(async (pos) => {
      const c = pos.coords;
      state.patrol.points.push([c.longitude, c.latitude, new Date(pos.timestamp).toISOString(),
        c.accuracy]);
      await Outbox.trackPut({ started: state.patrol.started, points: state.patrol.points });
      patrolStats();
    }, () => say("patrol-msg", "暂未取得定位，请到开阔处", "error"),
    { enableHighAccuracy: true, maximumAge: 0, timeout: 30000 });
    $("patrol-state").textContent = "巡查中";
    $("patrol-toggle").textContent = "结束巡查并上传";
  }

  async function stopPatrol() {
    const t = state.patrol;
    navigator.geolocation.clearWatch(t.watch);
    state.patrol = null;
    $("patrol-state").textContent = "未开始";
    $("patrol-toggle").textContent = "开始巡查";
    if (t.points.length < 2) {
      await Outbox.trackClear();
      say("patrol-msg", "轨迹点太少，未上传", "error");
      return;
    }
    await Outbox.add({ key: Outbox.newKey(), kind: "track", path: "tracks",
      label: "巡查轨迹 " + t.points.length + " 个点", json: { points: t.points } });
    await Outbox.trackClear();
    await flush();
    say("patrol-msg", "轨迹已提交", "ok");
  }

  $("patrol-toggle").addEventListener("click", () => (state.patrol ? stopPatrol() : startPatrol()));

  // -- the outbox --------------------------------------------------------------------------------
  async function send(item) {
    const age = String(Math.max(0, (Date.now() - item.created) / 1000));
    const deviceTime = new Date().toISOString();
    if (item.json) {
      return api(item.path, { json: Object.assign({}, item.json, { key: item.key,
        device_time: deviceTime, age_s: age }) });
    }
    const form = new FormData();
    Object.entries(item.fields || {}).forEach(([k, v]) => form.append(k, v));
    form.append("key", item.key);
    form.append("device_time", deviceTime);
    form.append("age_s", age);
    (item.files || []).forEach((f, i) => form.append("photos", f, f.name || "photo" + i + ".jpg"));
    return api(item.path, { body: form, method: "POST" });
  }

  async function flush() {
    if (state.flushing || !state.me) return;
    state.flushing = true;
    try {
      for (const item of await Outbox.all()) {
        if (item.state === "refused") continue;
        let r;
        try { r = await send(item); } catch (e) { break; }  // offline: try again later
        if (r.ok) {
          state.results[item.key] = { ok: true, data: r.data };
          await Outbox.remove(item.key);
        } else if (r.status === 401) {
          loggedOut((r.data && r.data.error) || "请重新登录；未发送的内容仍保存在手机上");
          break;
        } else if (r.status >= 500 || r.status === 0 || (r.data && r.data.reason === "csrf")) {
          if (r.data && r.data.reason === "csrf") await refreshMe();
          break;
        } else {
          item.state = "refused";
          item.error = (r.data && r.data.error) || ("HTTP " + r.status);
          state.results[item.key] = { refused: true, error: item.error };
          await Outbox.put(item);
        }
      }
    } finally {
      state.flushing = false;
      await renderBadge();
    }
  }

  async function refreshMe() {
    try {
      const r = await api("me");
      if (r.ok) state.me = r.data;
    } catch (e) { /* offline */ }
  }

  async function renderBadge() {
    const items = await Outbox.all();
    const badge = $("outbox-badge");
    badge.hidden = !items.length;
    badge.textContent = "待发送 " + items.length;
    if (!$("view-outbox").hidden) renderOutbox();
  }

  async function renderOutbox() {
    const items = await Outbox.all();
    $("outbox").replaceChildren(...items.map((it) => el("li", { "data-key": it.key },
      el("div", { class: "title" }, it.label || it.kind),
      el("div", { class: "meta" }, "保存于 " + fmtTime(new Date(it.created).toISOString()) +
        (it.files && it.files.length ? " · " + it.files.length + " 张照片" : "")),
      it.error ? el("div", { class: "error" }, it.error) : "",
      el("div", { class: "acts" },
        it.state === "refused" ? el("button", { onclick: async () => {
          it.state = "waiting"; it.error = ""; await Outbox.put(it); flush(); } }, "重试") : "",
        el("button", { onclick: async () => {
          if (confirm("确定删除这条未发送的内容？")) { await Outbox.remove(it.key); renderBadge(); }
        } }, "删除")))));
    if (!items.length) $("outbox").append(el("li", {}, "没有待发送的内容"));
  }
  $("outbox-send").addEventListener("click", flush);

  window.addEventListener("online", flush);
  setInterval(() => { if (state.me) flush(); }, 4000);

  // -- start ----------------------------------------------------------------------------------------
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
    navigator.serviceWorker.addEventListener("message", (ev) => {
      if (ev.data && ev.data.type === "flush") flush();
    });
  }
  window.GridAppField = { flush, state, Outbox };
  (async () => {
    await renderBadge();
    try {
      const r = await api("me");
      if (r.ok) loggedIn(r.data); else loggedOut("");
    } catch (e) {
      loggedOut("无法连接服务器：未发送的内容仍保存在手机上");
    }
  })();
})();
