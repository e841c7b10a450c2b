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
})();
