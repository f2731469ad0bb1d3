// Small things JavaScript adds to server-rendered pages, each wired by a data attribute (the
// Content-Security-Policy allows no inline script or onclick). Without JavaScript every page
// still works: the link can be selected and copied, the form posts, the browser prints.

// <form data-confirm="Remove …?">: a last check before something that cannot be undone.
for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}

// <button data-copy="input-id" data-copied="Copied" [data-copy-status="status-id"]
// [data-copy-failed="…"] hidden>: copies the input's text where the browser allows it. The
// result is said in the status element if there is one, else on the button.
for (const button of document.querySelectorAll("button[data-copy]")) {
  if (!navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", () => {
    const input = document.getElementById(button.dataset.copy);
    const status = document.getElementById(button.dataset.copyStatus ?? "");
    const say = (text) => {
      if (status) status.textContent = text;
      else if (text) button.textContent = text;
    };
    navigator.clipboard.writeText(input.value).then(
      () => say(button.dataset.copied),
      () => {
        input.select();
        say(button.dataset.copyFailed ?? "");
      },
    );
  });
}

// <button data-print>: the browser's print dialog (the button shows only with JavaScript).
for (const button of document.querySelectorAll("button[data-print]")) {
  button.addEventListener("click", () => window.print());
}

// <select data-guess-zone>: start from the browser's own time zone while the choice is still
// the default (UTC); the person can change it.
for (const select of document.querySelectorAll("select[data-guess-zone]")) {
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    continue;
  }
  if (select.value === "UTC" && [...select.options].some((option) => option.value === zone)) {
    select.value = zone;
  }
}
