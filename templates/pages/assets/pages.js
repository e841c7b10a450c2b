// Small progressive enhancements; every page works without them.
(function () {
  'use strict';

  // Move focus to a message that needs reading first (saved, or what went wrong).
  var first = document.querySelector('[data-autofocus]');
  if (first) first.focus();

  // "Mark everyone not yet marked as present": one tap for the usual case, then fix the exceptions.
  Array.prototype.forEach.call(document.querySelectorAll('[data-mark-rest]'), function (button) {
    button.addEventListener('click', function () {
      var status = button.getAttribute('data-mark-rest');
      Array.prototype.forEach.call(document.querySelectorAll('fieldset.man'), function (man) {
        if (man.querySelector('input[type=radio]:checked')) return;
        var choice = man.querySelector('input[type=radio][value="' + status + '"]');
        if (choice && !choice.disabled) choice.checked = true;
      });
    });
  });

  // An invitation's or a reset's link carries its code after #, which never reaches a server or a
  // log: put it into the form, hide the field, and take it out of the address bar and history.
  var linkToken = document.querySelector('[data-link-token]');
  if (linkToken && window.location.hash.length > 1) {
    var input = linkToken.querySelector('input');
    if (input) {
      input.value = decodeURIComponent(window.location.hash.slice(1));
      linkToken.hidden = true;
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
      var password = document.querySelector('input[name=password]');
      if (password && !document.querySelector('[data-autofocus]')) password.focus();
    }
  }
})();
