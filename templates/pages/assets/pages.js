// Small progressive enhancements; every page works without them.
(function () {
  'use strict';

  // Move focus to a message that needs reading first (saved, or what went wrong).
  var first = document.querySelector('[data-autofocus]');
  if (first) first.focus();

  // The sign-in sheet's Print button (the browser's own Print works as well).
  Array.prototype.forEach.call(document.querySelectorAll('[data-print]'), function (button) {
    button.addEventListener('click', function () {
      window.print();
    });
  });

  // After a refused save, a man marked since is no longer in the wrong: his red message goes.
  Array.prototype.forEach.call(document.querySelectorAll('fieldset.man'), function (man) {
    man.addEventListener('change', function (event) {
      if (event.target.type !== 'radio' || !man.classList.contains('man--invalid')) return;
      man.classList.remove('man--invalid');
      man.classList.add('man--resolved');
      var link = document.querySelector('.error-summary a[href="#' + man.id + '"]');
      if (link && link.parentNode) link.parentNode.parentNode.removeChild(link.parentNode);
    });
  });

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
        if (choice && !choice.disabled) {
          choice.checked = true;
          choice.dispatchEvent(new Event('change', { bubbles: true }));
        }
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
