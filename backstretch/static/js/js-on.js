// Loaded in every page's head, before the body is drawn: styles that matter only without
// JavaScript (a filter's submit button) hide at once instead of flashing. A file, not an inline
// script, because the Content-Security-Policy runs only our own files.
document.documentElement.classList.add("js");
