// dash-source: the embed page's helpers that are not part of the embedding
// itself (so /embed.js stays exactly the code a host page needs): show
// /embed.js's own source, and point the dashboard link at the same session.

const params = new URLSearchParams(location.search);
const link = document.querySelector('#dashboard-link');
if (link && params.get('identity')) link.href = `/?${new URLSearchParams({ identity: params.get('identity') })}`;

const code = document.querySelector('#embed-source');
fetch('/embed.js')
  .then((res) => {
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.text();
  })
  .then((text) => {
    code.textContent = text.trimEnd();
  })
  .catch((err) => {
    code.textContent = `Could not load /embed.js: ${err.message}`;
  });
