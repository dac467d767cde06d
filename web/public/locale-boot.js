// Set the language and direction before the first paint, so a Persian user never sees the
// page flip from left-to-right. The app keeps them in step afterwards. A file of its own, not
// an inline script: the page's Content-Security-Policy allows scripts from this origin only.
try {
  var stored = localStorage.getItem('kariz.locale');
  var locale = stored === 'fa' || stored === 'en' ? stored : (navigator.language || '').toLowerCase().indexOf('fa') === 0 ? 'fa' : 'en';
  document.documentElement.lang = locale;
  document.documentElement.dir = locale === 'fa' ? 'rtl' : 'ltr';
} catch (error) {}
