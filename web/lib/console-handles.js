// console-handles: the console's list of the session's open handles (one
// radio row per QixObject), which picks the object the call form targets.
// Rows follow objects, not handle numbers: handles change on resume.
import { span } from './console-results.js';

/**
 * handleList renders ctx.session's objects into ui.handles. onSelect(obj)
 * runs when a row is picked; ctx.selected and ctx.freshObject are read.
 */
export function handleList(ui, ctx, { onSelect = () => {}, onClosed = () => {} } = {}) {
  const known = new WeakSet(); // objects we listen to
  const changedCount = new WeakMap();
  const keys = new WeakMap();
  let keySeq = 0;

  function keyOf(obj) {
    let k = keys.get(obj);
    if (!k) keys.set(obj, (k = `o${++keySeq}`));
    return k;
  }

  function watch(obj) {
    if (known.has(obj)) return;
    known.add(obj);
    obj.on('changed', () => {
      changedCount.set(obj, (changedCount.get(obj) || 0) + 1);
      const row = ui.handles.querySelector(`[data-key="${CSS.escape(keyOf(obj))}"] .changed`);
      if (row) {
        row.hidden = false;
        row.textContent = `changed ×${changedCount.get(obj)}`;
      }
    });
    obj.on('closed', () => onClosed(obj));
  }

  function updateCallTarget() {
    const s = ctx.selected;
    ui.callTarget.textContent = s ? `handle ${s.handle} · ${s.type}${s.genericType && s.genericType !== s.type ? ` (${s.genericType})` : ''}${s.id && s.id !== s.type ? ` · ${s.id}` : ''}` : 'no handle';
  }

  function render() {
    const session = ctx.session;
    const objs = session ? [...session.objects.values()].sort((a, b) => a.handle - b.handle) : [];
    const focusedKey = document.activeElement && document.activeElement.name === 'handle' ? document.activeElement.value : null;
    for (const row of ui.handles.querySelectorAll('.handle-row')) row.remove();
    ui.handlesEmpty.hidden = objs.length > 0;
    if (!objs.length) ui.handlesEmpty.textContent = session ? 'No open handles: the session is closed.' : "Connect to see the session's handles.";
    const suspended = session && session.state === 'suspended';
    for (const obj of objs) {
      watch(obj);
      const key = keyOf(obj);
      const label = document.createElement('label');
      label.className = 'handle-row';
      label.dataset.key = key;
      label.dataset.handle = String(obj.handle);
      const input = document.createElement('input');
      input.type = 'radio';
      input.name = 'handle';
      input.value = key;
      input.checked = obj === ctx.selected;
      input.addEventListener('change', () => {
        if (input.checked) onSelect(obj);
      });
      const h = span('h', String(obj.handle));
      const type = span('type', obj.type);
      const gt = span('gt', obj.genericType && obj.genericType !== obj.type ? obj.genericType : '');
      const id = span('id', obj.id && obj.id !== obj.type ? obj.id : '');
      id.title = obj.id || '';
      if (obj === ctx.freshObject) gt.append(span('new', 'new'));
      const changed = span('changed', changedCount.get(obj) ? `changed ×${changedCount.get(obj)}` : '');
      changed.hidden = !changedCount.get(obj);
      label.append(input, h, type, gt, id, changed);
      if (suspended) label.classList.add('suspended');
      ui.handles.append(label);
      if (focusedKey === key) input.focus();
    }
    if (ctx.selected && !objs.includes(ctx.selected)) ctx.selected = objs[0] || null;
    updateCallTarget();
  }

  return { render, updateCallTarget };
}
