// The audit's helpers inside the page, installed with page.evaluate (which CSP does not
// restrict). Everything lives on window.__tbAudit; nothing is added to the DOM except
// where a check must (text spacing adds a constructed stylesheet, then removes it).
(() => {
  if (window.__tbAudit) {
    return;
  }
  const A = {};
  window.__tbAudit = A;

  const FOCUSABLE = 'a[href], area[href], button, input, select, textarea, iframe, summary, ' +
    '[contenteditable=""], [contenteditable="true"], audio[controls], video[controls], [tabindex]';
  const INTERACTIVE = 'a[href], area[href], button, input, select, textarea, summary, ' +
    '[role="button"], [role="link"], [role="checkbox"], [role="radio"], [role="tab"], ' +
    '[role="menuitem"], [role="switch"], [tabindex]:not([tabindex="-1"])';

  const text = (el) => (el.textContent || '').replace(/\s+/g, ' ').trim();
  A.text = text;

  A.describe = (el) => {
    if (!el || el.nodeType !== 1) {
      return String(el);
    }
    let out = el.tagName.toLowerCase();
    if (el.id) {
      out += '#' + el.id;
    } else if (typeof el.className === 'string' && el.className.trim()) {
      out += '.' + el.className.trim().split(/\s+/).join('.');
    }
    for (const attr of ['name', 'type', 'href', 'value']) {
      if (el.hasAttribute(attr) && !(attr === 'type' && el.tagName !== 'INPUT')) {
        const v = el.getAttribute(attr);
        out += `[${attr}="${v.length > 40 ? v.slice(0, 40) + '…' : v}"]`;
      }
    }
    const t = text(el);
    if (t) {
      out += ` “${t.length > 40 ? t.slice(0, 40) + '…' : t}”`;
    }
    return out;
  };

  A.path = (el) => {
    const parts = [];
    while (el && el.nodeType === 1 && el !== document.documentElement) {
      if (el.id) {
        parts.unshift('#' + CSS.escape(el.id));
        break;
      }
      let n = 1;
      for (let s = el.previousElementSibling; s; s = s.previousElementSibling) {
        if (s.tagName === el.tagName) {
          n += 1;
        }
      }
      parts.unshift(`${el.tagName.toLowerCase()}:nth-of-type(${n})`);
      el = el.parentElement;
    }
    return parts.join(' > ');
  };

  A.isRendered = (el) => {
    if (!el.getClientRects().length) {
      return false;
    }
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.visibility !== 'collapse';
  };

  A.isVisuallyHidden = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) {
      return true;
    }
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.clip === 'rect(0px, 0px, 0px, 0px)' || s.clipPath === 'inset(50%)') {
        return true;
      }
      const er = e.getBoundingClientRect();
      if (s.overflow === 'hidden' && (er.width <= 1 || er.height <= 1)) {
        return true;
      }
    }
    return false;
  };

  const isFocusableNow = (el) => {
    if (!el.matches(FOCUSABLE) || el.closest('[inert]')) {
      return false;
    }
    // An open modal dialog makes the rest of the page inert (showModal): Tab stays in it.
    const modal = document.querySelector('dialog:modal');
    if (modal && !modal.contains(el)) {
      return false;
    }
    if (el.matches('input[type="hidden"]') || el.disabled) {
      return false;
    }
    if (el.closest('fieldset[disabled]') && el.matches('input, select, textarea, button')) {
      return false;
    }
    if (el.tagName === 'SUMMARY' && el.parentElement.tagName !== 'DETAILS') {
      return false;
    }
    if (el.tagName === 'A' && !el.hasAttribute('href') && !el.hasAttribute('tabindex')) {
      return false;
    }
    if (el.hasAttribute('tabindex') && el.tabIndex < 0) {
      return false;
    }
    // A closed <details> keeps all but its summary out of reach.
    for (let d = el.parentElement && el.parentElement.closest('details'); d;
      d = d.parentElement && d.parentElement.closest('details')) {
      if (!d.open && !(el.tagName === 'SUMMARY' && el.parentElement === d)) {
        return false;
      }
    }
    return A.isRendered(el);
  };

  // The sequential focus order a browser uses, in DOM order (positive tabindex is a
  // failure of its own, reported separately). One tab stop per radio group: the checked
  // radio, or the first.
  A.focusables = () => {
    const all = Array.from(document.querySelectorAll(FOCUSABLE)).filter(isFocusableNow);
    const seenGroups = new Map();
    const out = [];
    for (const el of all) {
      if (el.matches('input[type="radio"]') && el.name) {
        const key = (el.form ? A.path(el.form) : '') + '|' + el.name;
        const group = all.filter((r) => r.matches('input[type="radio"]') && r.name === el.name &&
          r.form === el.form);
        if (seenGroups.has(key)) {
          continue;
        }
        seenGroups.set(key, true);
        out.push(group.find((r) => r.checked) || group[0]);
        continue;
      }
      out.push(el);
    }
    A.list = out;
    return out;
  };

  // --- focus appearance ------------------------------------------------------------------
  const PROPS = ['outlineStyle', 'outlineWidth', 'outlineColor', 'outlineOffset', 'boxShadow',
    'backgroundColor', 'color', 'borderTopColor', 'borderBottomColor', 'borderLeftColor',
    'borderRightColor', 'borderTopWidth', 'borderBottomWidth', 'borderLeftWidth',
    'borderRightWidth', 'textDecorationLine', 'textDecorationThickness',
    'textDecorationColor', 'content', 'opacity'];
  const OUTLINE = ['outlineStyle', 'outlineWidth', 'outlineColor', 'outlineOffset'];

  const related = (el) => {
    const set = [el];
    for (const l of el.labels || []) {
      set.push(l);
    }
    if (el.nextElementSibling && el.nextElementSibling.tagName === 'LABEL') {
      set.push(el.nextElementSibling);
    }
    if (el.parentElement) {
      set.push(el.parentElement);
    }
    return Array.from(new Set(set));
  };

  A.snapshot = (el) => {
    const out = {};
    const parts = related(el);
    parts.forEach((e, i) => {
      const hidden = getComputedStyle(e).opacity === '0';
      for (const pseudo of [null, '::before', '::after']) {
        const s = getComputedStyle(e, pseudo);
        const values = {};
        for (const p of PROPS) {
          values[p] = s[p];
        }
        values.hidden = hidden;
        const name = i === 0 ? 'element' : e === el.parentElement ? 'parent' : 'label';
        out[`${name}${pseudo || ''}#${i}`] = values;
      }
    });
    return out;
  };

  const outlineShows = (v) => v.outlineStyle !== 'none' && parseFloat(v.outlineWidth) > 0;

  // What focus changes visibly, as "part.property: before → after"; empty when nothing.
  A.diff = (before, after) => {
    const out = [];
    for (const k of Object.keys(after)) {
      const a = after[k];
      const b = before[k];
      if (!b || a.hidden) {
        continue;
      }
      const part = k.replace(/#\d+$/, '');
      if (outlineShows(a) || outlineShows(b)) {
        for (const p of OUTLINE) {
          if (a[p] !== b[p]) {
            out.push(`${part} ${p}: ${b[p]} → ${a[p]}`);
          }
        }
      }
      for (const p of PROPS) {
        if (!OUTLINE.includes(p) && p !== 'opacity' && a[p] !== b[p]) {
          out.push(`${part} ${p}: ${b[p]} → ${a[p]}`);
        }
      }
    }
    return out;
  };

  // Finish every animation and transition (so styles are final) and return those that
  // would be seen moving: longer than 10 ms in all (the usual reduced-motion rule cuts
  // durations to 0.01 ms, which is no motion).
  A.finishTransitions = () => {
    const running = [];
    for (const a of document.getAnimations()) {
      let total = 0;
      try {
        total = a.effect ? a.effect.getComputedTiming().activeDuration : 0;
      } catch (e) {
        total = 0;
      }
      if (a.playState === 'running' && (total > 10 || total === Infinity)) {
        const name = a.transitionProperty || a.animationName || a.constructor.name;
        running.push({
          kind: a.constructor.name, name, ms: total === Infinity ? 'infinite' : Math.round(total),
          target: A.describe(a.effect && a.effect.target),
        });
      }
      try {
        a.finish();
      } catch (e) {
        // infinite animations cannot finish; they were recorded above
      }
    }
    return running;
  };

  // --- keyboard: focus order from focusin, appearance measured on each Tab's keyup -------
  A.startKeyLog = () => {
    const list = A.focusables();
    A.finishTransitions();
    A.unfocused = list.map((el) => A.snapshot(el));
    A.keyLog = [];
    A.measured = {};
    const active = document.activeElement;
    A.stale = list.indexOf(active);
    const fromTop = !active || active === document.body;
    let first = 0;
    if (!fromTop) {
      const i = list.indexOf(active);
      first = i >= 0 ? i + 1 : list.findIndex((el) =>
        active.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
      if (first < 0) {
        first = list.length;
      }
    }
    if (!A.listening) {
      A.listening = true;
      // Order: every focus change, as it happens.
      window.addEventListener('focusin', (event) => {
        if (A.recording) {
          const el = event.target;
          const index = A.list.indexOf(el);
          A.keyLog.push(index >= 0 ? { index } : { index: -2, desc: A.describe(el) });
        }
      }, true);
      // Appearance: once the key is up, focus has moved and the page has scrolled.
      window.addEventListener('keyup', (event) => {
        if (A.recording && event.key === 'Tab') {
          A.measure(document.activeElement);
        }
      }, true);
    }
    A.recording = true;
    const positive = Array.from(document.querySelectorAll('[tabindex]'))
      .filter((el) => el.tabIndex > 0).map(A.describe);
    return {
      count: list.length,
      items: list.map(A.describe),
      start: fromTop ? null : A.describe(active),
      fromTop,
      first,
      positiveTabindex: positive,
      skipTarget: !!document.getElementById('main-content'),
    };
  };

  A.measure = (el) => {
    const index = A.list.indexOf(el);
    if (index < 0 || A.measured[index]) {
      return;
    }
    A.finishTransitions();
    if (A.stale >= 0 && A.list[A.stale] !== el) {
      A.unfocused[A.stale] = A.snapshot(A.list[A.stale]);
      A.stale = -1;
    }
    if (index === A.stale) {
      return;
    }
    const rec = { obscured: A.obscured(el), diff: A.diff(A.unfocused[index], A.snapshot(el)) };
    if (el.matches('.ds_skip-links__link, a[href="#main-content"]')) {
      const r = el.getBoundingClientRect();
      rec.skipVisible = r.width > 1 && r.height > 1 && !A.isVisuallyHidden(el);
    }
    A.measured[index] = rec;
  };

  // Stop recording; measure any stop whose keyup the page did not see (focus coming back
  // from the browser's own controls) by focusing it again from script.
  A.endKeyLog = () => {
    A.recording = false;
    const seen = new Set(A.keyLog.map((r) => r.index).filter((i) => i >= 0));
    for (const i of seen) {
      if (!A.measured[i]) {
        A.list[i].focus();
        A.measure(A.list[i]);
      }
    }
    return A.keyLog.map((r) => (r.index >= 0 ? { ...r, ...(A.measured[r.index] || {}) } : r));
  };

  // null when the focused element shows: the centre of one of its boxes (a link wraps
  // into one box per line) is the element, a descendant or its label.
  A.obscured = (el) => {
    const vw = document.documentElement.clientWidth;
    const vh = document.documentElement.clientHeight;
    const boxes = Array.from(el.getClientRects());
    let problem = 'no box';
    for (const r of boxes) {
      const left = Math.max(r.left, 0);
      const right = Math.min(r.right, vw);
      const top = Math.max(r.top, 0);
      const bottom = Math.min(r.bottom, vh);
      if (right <= left || bottom <= top) {
        problem = `off screen at ${Math.round(r.left)},${Math.round(r.top)}`;
        continue;
      }
      const hit = document.elementFromPoint((left + right) / 2, (top + bottom) / 2);
      if (!hit) {
        problem = 'nothing at its centre';
        continue;
      }
      if (hit === el || el.contains(hit) ||
        Array.from(el.labels || []).some((l) => hit === l || l.contains(hit))) {
        return null;
      }
      problem = `covered by ${A.describe(hit)}`;
    }
    return problem;
  };

  // Focus each element in turn from script (after a real Tab, so :focus-visible applies)
  // and compare its look with the unfocused look. Used under forced colours, where it also
  // notes every animation or transition that starts.
  A.focusLoop = () => {
    const list = A.focusables();
    const onLoad = A.finishTransitions();
    const unfocused = list.map((el) => A.snapshot(el));
    const invisible = [];
    const animations = onLoad.map((a) => ({ ...a, when: 'on load' }));
    // The element focused now is done last, its unfocused look taken once focus moved on.
    const active = list.indexOf(document.activeElement);
    const order = list.map((_, i) => (i + active + 1) % list.length);
    order.forEach((i, n) => {
      const el = list[i];
      el.focus({ preventScroll: true });
      for (const a of A.finishTransitions()) {
        animations.push({ ...a, when: 'focusing ' + A.describe(el) });
      }
      if (n === 0 && active >= 0 && active !== i) {
        unfocused[active] = A.snapshot(list[active]);
      }
      if (document.activeElement !== el) {
        return;
      }
      if (!A.diff(unfocused[i], A.snapshot(el)).length) {
        invisible.push(A.describe(el));
      }
    });
    if (document.activeElement) {
      document.activeElement.blur();
    }
    const endless = Array.from(document.querySelectorAll('body *')).filter((el) => {
      const s = getComputedStyle(el);
      return s.animationName !== 'none' && s.animationIterationCount === 'infinite' &&
        parseFloat(s.animationDuration) > 0.01;
    }).map(A.describe);
    return { count: list.length, invisible, animations, endless };
  };

  // --- target size (WCAG 2.5.8) ----------------------------------------------------------
  // WCAG 2.5.8's inline exception: a link in a sentence, its size set by the line of text.
  // The sentence is the text of the nearest container that is not itself inline text
  // (list items, table cells and labels count as containers: a list of links is not a
  // sentence).
  const inSentence = (el) => {
    if (getComputedStyle(el).display !== 'inline') {
      return false;
    }
    let box = el.parentElement;
    while (box && getComputedStyle(box).display === 'inline' &&
      !box.matches('li, td, th, label, button, a, summary')) {
      box = box.parentElement;
    }
    if (!box) {
      return false;
    }
    const whole = text(box);
    const own = text(el);
    return whole.replace(own, '').replace(/[\s.,:;!?()“”"'–—-]/g, '').length > 0;
  };

  A.targets = () => {
    const out = [];
    for (const el of document.querySelectorAll(INTERACTIVE)) {
      if (el.matches('input[type="hidden"]') || !A.isRendered(el) || el.closest('[inert]')) {
        continue;
      }
      const r = el.getBoundingClientRect();
      const boxes = [[r.left, r.top, r.width, r.height]];
      for (const l of el.labels || []) {
        if (A.isRendered(l)) {
          const lr = l.getBoundingClientRect();
          boxes.push([lr.left, lr.top, lr.width, lr.height]);
        }
      }
      out.push({
        desc: A.describe(el), path: A.path(el), boxes,
        inline: inSentence(el), hidden: A.isVisuallyHidden(el) && !(el.labels && el.labels.length),
      });
    }
    return out;
  };

  // --- reflow and text spacing -----------------------------------------------------------
  // What makes the page wider than `width`: the outermost elements sticking out (to the
  // right, or to the left in right-to-left pages) whose parent does not.
  A.overflowing = (width) => {
    const out = (el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5);
    };
    const breakers = Array.from(document.querySelectorAll('body *')).filter((el) =>
      out(el) && A.isRendered(el) && !A.isVisuallyHidden(el) &&
      !(el.parentElement && el.parentElement !== document.body && out(el.parentElement)));
    const found = breakers.slice(0, 4).map((el) => {
      const r = el.getBoundingClientRect();
      return `${A.describe(el)} (${Math.round(r.width)}px wide, from ${Math.round(r.left)} ` +
        `to ${Math.round(r.right)}px) inside ${A.describe(el.parentElement).slice(0, 60)}`;
    });
    if (found.length) {
      return found;
    }
    // No box sticks out: then text overflows a box that stays put (a long word).
    const spilling = Array.from(document.querySelectorAll('body *')).filter((el) => {
      const s = getComputedStyle(el);
      return s.overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1 &&
        el.clientWidth > 0 && el.getBoundingClientRect().left + el.scrollWidth > width + 0.5;
    });
    return spilling.filter((el) => !spilling.some((o) => o !== el && el.contains(o)))
      .slice(0, 4).map((el) => `text overflowing ${A.describe(el)} (${el.scrollWidth}px of ` +
        `text in a ${el.clientWidth}px box)`);
  };

  A.clipped = () => {
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const s = getComputedStyle(el);
      const hideX = ['hidden', 'clip'].includes(s.overflowX);
      const hideY = ['hidden', 'clip'].includes(s.overflowY);
      if (!(hideX || hideY || s.textOverflow === 'ellipsis') || !text(el)) {
        continue;
      }
      if (!A.isRendered(el) || A.isVisuallyHidden(el)) {
        continue;
      }
      const lostY = hideY && el.scrollHeight > el.clientHeight + 1;
      const lostX = (hideX || s.textOverflow === 'ellipsis') && el.scrollWidth > el.clientWidth + 1;
      if (lostX || lostY) {
        out.push(`${A.describe(el)} (${lostY ? `content ${el.scrollHeight}px tall in ${el.clientHeight}px` : ''}${lostX && lostY ? ', ' : ''}${lostX ? `content ${el.scrollWidth}px wide in ${el.clientWidth}px` : ''})`);
      }
    }
    return out;
  };

  const SPACING = '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; ' +
    'word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }';
  A.textSpacing = () => {
    const before = new Set(A.clipped());
    const widerBefore = document.documentElement.scrollWidth > document.documentElement.clientWidth;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(SPACING);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    const applied = getComputedStyle(document.body).wordSpacing;
    const after = A.clipped().filter((c) => !before.has(c));
    const wider = !widerBefore &&
      document.documentElement.scrollWidth > document.documentElement.clientWidth;
    const culprits = wider ? A.overflowing(document.documentElement.clientWidth) : [];
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
    return { applied: applied !== '0px' && applied !== 'normal', clipped: after, wider, culprits };
  };

  // --- what a reader sees at a phone's width: overlaps, repeats, phone links -----------
  // Every check here reads the layout once; they run at 320 and 375 px (rules.py words
  // the verdicts). Text is measured by its line boxes (Range.getClientRects), so a caption
  // whose second line lands on a heading is found, whatever CSS put it there.
  const shownText = (node) => {
    const el = node.parentElement;
    if (!el || !node.textContent.trim() || el.closest('select, textarea, script, style, template')) {
      return false;
    }
    return A.isRendered(el) && !A.isVisuallyHidden(el) && getComputedStyle(el).opacity !== '0';
  };

  const textNodes = (root) => {
    const out = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (shownText(n)) {
        out.push(n);
      }
    }
    return out;
  };

  const lineBoxes = (node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    return Array.from(range.getClientRects()).filter((r) => r.width > 1 && r.height > 1);
  };

  // Two pieces of text drawn on top of each other: their line boxes share more than a
  // third of the smaller one and at least 4 px each way (glyph boxes of one paragraph's
  // consecutive lines touch by a pixel or two; that is not an overlap). Text in a sticky
  // or fixed box (the quick exit) is left out: the page scrolls under it by design, and
  // point 5 checks that it never hides what has focus.
  const pinned = (el, root) => {
    for (let e = el; e && e !== root; e = e.parentElement) {
      if (['fixed', 'sticky'].includes(getComputedStyle(e).position)) {
        return true;
      }
    }
    return false;
  };
  A.overlaps = () => {
    const main = document.querySelector('main');
    if (!main) {
      return [];
    }
    const boxes = [];
    textNodes(main).filter((node) => !pinned(node.parentElement, main)).forEach((node, i) => {
      for (const r of lineBoxes(node)) {
        boxes.push({ i, node, r });
      }
    });
    boxes.sort((a, b) => a.r.top - b.r.top);
    const found = [];
    const seen = new Set();
    for (let a = 0; a < boxes.length; a += 1) {
      for (let b = a + 1; b < boxes.length && boxes[b].r.top < boxes[a].r.bottom; b += 1) {
        const x = boxes[a];
        const y = boxes[b];
        if (x.i === y.i) {
          continue;
        }
        const w = Math.min(x.r.right, y.r.right) - Math.max(x.r.left, y.r.left);
        const h = Math.min(x.r.bottom, y.r.bottom) - Math.max(x.r.top, y.r.top);
        const smaller = Math.min(x.r.width * x.r.height, y.r.width * y.r.height);
        if (w < 4 || h < 4 || w * h < smaller / 3) {
          continue;
        }
        const key = `${x.i}|${y.i}`;
        if (seen.has(key)) {
          continue;
        }
        seen.add(key);
        const name = (n) => `${A.describe(n.parentElement).split(' “')[0]} “${text(n).slice(0, 40)}”`;
        found.push(`${name(x.node)} overlaps ${name(y.node)} (${Math.round(w)}×${Math.round(h)} px)`);
      }
    }
    return found.slice(0, 6);
  };

  // The same words shown twice to one reader: the same visible block of text twice in one
  // question (a limit above and below a box), any long sentence twice in <main>, or a
  // question whose hints give two different example dates. The error summary repeats each
  // field's message on purpose (GOV.UK's pattern), and a summary list's answers are the
  // person's own words: neither counts.
  const BLOCKS = 'p, li, label, legend, h1, h2, h3, h4, dt, dd, .ds_hint-text, ' +
    '.ds_character-count__message, .ds_page-header__label';
  const DATE_EXAMPLE = /(^|[^\d])(\d{1,2} \d{1,2} \d{4})(?!\d)/g;
  A.repeats = () => {
    const main = document.querySelector('main');
    if (!main) {
      return [];
    }
    const blocks = Array.from(main.querySelectorAll(BLOCKS)).filter((el) =>
      // A timeline names who did each event: two events by one person (or rule) repeat
      // it by design.
      !el.querySelector(BLOCKS) && !el.closest('.ds_error-summary, .ds_summary-list') &&
      !el.matches('.tb-timeline__by') &&
      A.isRendered(el) && !A.isVisuallyHidden(el) && textNodes(el).length);
    const found = [];
    const byGroup = new Map();
    for (const el of blocks) {
      const words = textNodes(el).map((n) => n.textContent).join('').replace(/\s+/g, ' ').trim();
      if (words.length < 12) {
        continue;
      }
      const question = el.closest('.ds_question, fieldset');
      if (!question && words.length < 60) {
        continue;
      }
      const key = (question && words.length < 60 ? A.path(question) : 'main') + '|' + words;
      if (byGroup.has(key)) {
        found.push(`“${words.slice(0, 80)}” shown twice: ${A.describe(byGroup.get(key)).split(' “')[0]} and ${A.describe(el).split(' “')[0]}`);
      } else {
        byGroup.set(key, el);
      }
    }
    for (const question of main.querySelectorAll('.ds_question')) {
      if (question.parentElement.closest('.ds_question')) {
        continue;
      }
      const hints = Array.from(question.querySelectorAll('.ds_hint-text'))
        .filter((h) => !h.closest('.ds_question__sub') || h.closest('.ds_question__sub').closest('.ds_question') !== question)
        .filter((h) => A.isRendered(h) && !A.isVisuallyHidden(h));
      const dates = new Set();
      for (const h of hints) {
        for (const m of text(h).matchAll(DATE_EXAMPLE)) {
          dates.add(m[2]);
        }
      }
      if (dates.size > 1) {
        found.push(`${A.describe(question).split(' “')[0]} gives ${dates.size} different example dates: ${Array.from(dates).join(', ')}`);
      }
    }
    return found.slice(0, 6);
  };

  // UK phone numbers (0… or +44…, 10 or 11 digits) and 999, written in <main> or the
  // footer but not inside a tel: link. What a person typed (fields) and messages shown
  // verbatim (<pre>) are not looked at.
  const PHONE = /(?:\+44[\s-]?(?:\(0\)[\s-]?)?|(?<![\w+])0)\d(?:[\s-]?\d){8,9}(?!\d)|(?<![\w.,-])999(?![\w-])/g;
  A.phoneText = () => {
    const found = [];
    // A kiosk cannot dial: it shows the number as text on purpose (issue 13).
    if (document.body.dataset.kiosk === 'true') {
      return found;
    }
    for (const root of document.querySelectorAll('main, footer')) {
      for (const node of textNodes(root)) {
        // A <pre> shows a message verbatim as it was sent (the development outbox):
        // linking inside it would change what it shows.
        if (node.parentElement.closest('pre')) continue;
        const inLink = node.parentElement.closest('a[href^="tel:"]');
        for (const m of node.textContent.matchAll(PHONE)) {
          if (!inLink) {
            found.push(`“${m[0]}” in ${A.describe(node.parentElement).slice(0, 90)} is not a tel: link`);
          }
        }
      }
    }
    return found.slice(0, 8);
  };

  A.layout = () => ({
    width: document.documentElement.clientWidth,
    overlaps: A.overlaps(), repeats: A.repeats(), phones: A.phoneText(),
  });

  // --- DOM facts for error pattern, language, help, live regions, statement -------------
  A.facts = () => {
    const html = document.documentElement;
    const main = document.querySelector('main');
    const summary = document.querySelector('.ds_error-summary');
    const active = document.activeElement;
    const f = {
      url: location.pathname + location.search,
      lang: html.getAttribute('lang'),
      dir: html.getAttribute('dir'),
      title: document.title,
      h1: Array.from(document.querySelectorAll('h1')).map(text),
      active: active && active !== document.body ? A.describe(active) : null,
      activeInSummary: !!(summary && active && summary.contains(active)),
      activeIsH1: !!(active && active.closest('h1')),
      htmx: typeof window.htmx !== 'undefined',
      // A kiosk (issue 13): help is a person at the hub ("Ask for help" in the kiosk bar).
      kiosk: document.body.dataset.kiosk === 'true',
      kioskHelp: !!document.querySelector('.tb-kiosk-bar form[action="/kiosk/help"] button'),
      jsEnabledClass: html.classList.contains('js-enabled'),
      mainId: main ? main.id : null,
      summary: null,
      fields: [],
      filled: {},
    };
    if (summary) {
      const title = summary.querySelector('.ds_error-summary__title, h2');
      const firstField = main && main.querySelector('form input:not([type="hidden"]), form select, form textarea, form fieldset');
      const h1 = main && main.querySelector('h1');
      f.summary = {
        role: summary.getAttribute('role'),
        tabindex: summary.getAttribute('tabindex'),
        title: title ? text(title) : null,
        inMain: !!(main && main.contains(summary)),
        beforeH1: !!(h1 && (summary.compareDocumentPosition(h1) & Node.DOCUMENT_POSITION_FOLLOWING)),
        beforeFields: !!(firstField && (summary.compareDocumentPosition(firstField) & Node.DOCUMENT_POSITION_FOLLOWING)),
        links: Array.from(summary.querySelectorAll('a')).map((a) => {
          const href = a.getAttribute('href') || '';
          const id = href.startsWith('#') ? decodeURIComponent(href.slice(1)) : null;
          const target = id ? document.getElementById(id) : null;
          let described = [];
          let describedText = '';
          if (target) {
            // The field's own description and its fieldset's (radios, dates, addresses).
            const holders = [target, target.closest('fieldset')].filter(Boolean);
            described = holders.flatMap((h) => (h.getAttribute('aria-describedby') || '')
              .split(/\s+/).filter(Boolean));
            describedText = described.map((d) => document.getElementById(d))
              .filter(Boolean).map(text).join(' | ');
          }
          return {
            text: text(a), href, id,
            target: target ? A.describe(target) : null,
            targetIsField: !!(target && target.matches('input, select, textarea, fieldset, [tabindex]')),
            described, describedText,
            invalid: target ? target.getAttribute('aria-invalid') ||
              (target.querySelector && target.querySelector('[aria-invalid="true"]') ? 'true' : null) : null,
          };
        }),
      };
    }
    for (const el of document.querySelectorAll('main input:not([type="hidden"]), main textarea')) {
      if (el.name && ['text', 'search', 'email', 'tel', 'textarea'].includes(el.type)) {
        f.filled[el.name] = el.value;
      }
    }
    f.freeText = Array.from(document.querySelectorAll('textarea, input[type="text"], input[type="search"], input:not([type])'))
      .filter((el) => !['numeric', 'decimal', 'tel', 'email'].includes(el.getAttribute('inputmode') || ''))
      .map((el) => ({ desc: A.describe(el), dir: el.getAttribute('dir') }));
    const switcher = document.querySelector('.tb-language-switcher');
    f.switcher = switcher ? {
      label: switcher.getAttribute('aria-label'),
      // Signed out each language is a link; signed in, a button posting to the same
      // address (the account keeps the choice), read here as the link it stands for.
      items: Array.from(switcher.querySelectorAll('a, button, [aria-current]')).map((e) => {
        const form = e.tagName === 'BUTTON' ? e.closest('form') : null;
        const next = form && form.querySelector('input[name="next"]');
        return {
          tag: e.tagName.toLowerCase(), lang: e.getAttribute('lang'),
          href: form ? `${form.getAttribute('action')}?next=${encodeURIComponent(next ? next.value : '')}` : e.getAttribute('href'),
          hreflang: form ? e.getAttribute('lang') : e.getAttribute('hreflang'),
          text: text(e), current: e.getAttribute('aria-current'),
        };
      }),
    } : null;
    const footer = document.querySelector('footer');
    f.footer = footer ? {
      links: Array.from(footer.querySelectorAll('a')).map((a) => ({ href: a.getAttribute('href'), text: text(a) })),
      contact: (() => {
        const c = footer.querySelector('.tb-footer-contact');
        return c ? text(c) : null;
      })(),
      last: (() => {
        const landmarks = Array.from(document.querySelectorAll('header, nav, main, footer, aside, [role="banner"], [role="main"], [role="contentinfo"]'))
          .filter((e) => !footer.contains(e) && !e.contains(footer));
        return landmarks.every((e) => e.compareDocumentPosition(footer) & Node.DOCUMENT_POSITION_FOLLOWING);
      })(),
      afterMain: !!(main && (main.compareDocumentPosition(footer) & Node.DOCUMENT_POSITION_FOLLOWING)),
    } : null;
    f.headings = Array.from(document.querySelectorAll('main h2, main h3')).map(text);
    f.live = Array.from(document.querySelectorAll('[aria-live], [role="status"], [role="alert"], [role="log"]'))
      .map((e) => ({ desc: A.describe(e), role: e.getAttribute('role'), live: e.getAttribute('aria-live'), text: text(e) }));
    f.characterCounts = Array.from(document.querySelectorAll('[data-module="ds-character-count"]')).map((c) => ({
      desc: A.describe(c),
      live: !!c.querySelector('[aria-live]'),
    }));
    f.resultCount = (() => {
      const r = document.querySelector('.tb-result-count');
      return r ? { role: r.getAttribute('role'), text: text(r) } : null;
    })();
    f.trackLink = (() => {
      const a = Array.from(document.querySelectorAll('main a')).find((x) => /\/track\/[^/]+$/.test(x.getAttribute('href') || ''));
      return a ? a.getAttribute('href') : null;
    })();
    return f;
  };

  // Click each error summary link and see where focus lands (script handles the click).
  A.summaryLinkFocus = () => {
    const out = [];
    const summary = document.querySelector('.ds_error-summary');
    if (!summary) {
      return out;
    }
    for (const a of summary.querySelectorAll('a[href^="#"]')) {
      a.click();
      const active = document.activeElement;
      const id = decodeURIComponent(a.getAttribute('href').slice(1));
      out.push({ id, focused: active ? active.id : null, ok: !!active && active.id === id });
    }
    return out;
  };
})();
