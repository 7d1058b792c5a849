// The login form before the app arrives. On a village link the app (wasm) takes many
// seconds to download; this puts index.html's static copy of the login form on screen at
// once for a phone with nobody logged in, so the worker types while it loads. A submit
// before the app is there is queued (data-submitted) and the app completes it when it
// mounts (src/early_login.rs reads the typed values and takes the form over). A file,
// not an inline script: the server's Content-Security-Policy allows none.
"use strict";

(function () {
  var app = document.getElementById("app");
  var template = document.getElementById("early-login");
  if (!app || !template || app.hasAttribute("data-mounted")) return;
  try {
    // Someone is logged in: the app opens straight to their data, no login screen.
    if (localStorage.getItem("wangge.session")) return;
  } catch (e) {
    // No storage (private mode): the app will say so; show the form meanwhile.
  }
  var section = template.content.firstElementChild.cloneNode(true);
  var english = false;
  try {
    english = localStorage.getItem("wangge.lang") === "en";
  } catch (e) {}
  if (english) {
    section.querySelectorAll("[data-en]").forEach(function (el) {
      el.textContent = el.getAttribute("data-en");
    });
  }
  var form = section.querySelector("form");
  var button = form.querySelector("button");
  var status = form.querySelector("[role=status]");
  // The same words, in the same kind of element, as the app's own form gives.
  var alert = form.querySelector("[role=alert]");
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var user = form.elements.username.value.trim();
    var pass = form.elements.password.value;
    if (!user || !pass) {
      alert.textContent = !user ? (english ? "Enter your username" : "请输入用户名") : (english ? "Enter your password" : "请输入密码");
      return;
    }
    alert.textContent = "";
    form.setAttribute("data-submitted", "1");
    button.disabled = true;
    button.textContent = english ? "Logging in…" : "正在登录…";
    status.textContent = english ? "The app is still loading; you will be logged in as soon as it is ready." : "应用还在加载，加载完成后自动登录，请保持网络连接。";
  });
  app.replaceChildren(section);
})();
