// Small progressive enhancements; every page works without them.
(function () {
  'use strict';

  // Move focus to a message that needs reading first (saved, or what went wrong).
  var first = document.querySelector('[data-autofocus]');
  if (first) first.focus();

  // A table wider than its box scrolls inside it: such a box takes the keyboard focus (arrow keys
  // scroll it) and is named after its section, so that it is announced as what it holds.
  function scrollRegions() {
    Array.prototype.forEach.call(document.querySelectorAll('.table-wrap'), function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute('tabindex')) {
        var section = wrap.closest('[aria-labelledby]');
        var caption = wrap.querySelector('caption');
        wrap.setAttribute('tabindex', '0');
        wrap.setAttribute('role', 'region');
        if (caption && caption.id) wrap.setAttribute('aria-labelledby', caption.id);
        else if (section) wrap.setAttribute('aria-labelledby', section.getAttribute('aria-labelledby'));
        else wrap.setAttribute('aria-label', 'Table, scrolls sideways');
      } else if (!scrolls && wrap.getAttribute('tabindex') === '0') {
        wrap.removeAttribute('tabindex');
        wrap.removeAttribute('role');
        wrap.removeAttribute('aria-labelledby');
        wrap.removeAttribute('aria-label');
      }
    });
  }
  scrollRegions();
  window.addEventListener('resize', scrollRegions);

  // Back from an action on one row (Acknowledge): the address names the row; focus goes there,
  // not to the top of the page, so the person carries on where he was.
  if (location.hash.length > 1) {
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.hasAttribute('data-return-focus')) target.focus();
  }

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
