// The viewer's stylesheet: a justified grid (flex rows of equal height), readable on a phone.
export const VIEWER_CSS = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1d1d1f; --muted: #6e6e73; --line: #e3e3e6; --accent: #0063dc; --tile: 200px; }
@media (prefers-color-scheme: dark) { :root { --bg: #161618; --fg: #eee; --muted: #a1a1a6; --line: #2c2c2e; --accent: #4ea1ff; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--fg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.bar { position: sticky; top: 0; z-index: 1000; display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .6rem 1rem; background: var(--bg); border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; text-decoration: none; color: var(--fg); }
.bar nav { display: flex; flex-wrap: wrap; gap: .25rem .9rem; }
.bar nav a { text-decoration: none; color: var(--muted); }
.bar nav a[aria-current="page"] { color: var(--fg); font-weight: 600; }
.search { margin-left: auto; }
.search input { width: min(22rem, 80vw); padding: .35rem .6rem; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); font: inherit; }
main { padding: 1rem; max-width: 1600px; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: .2rem 0 1rem; }
h2.year { font-size: 1.6rem; margin: 1.5rem 0 .25rem; }
.listing > h2.year:first-child { margin-top: 0; }
.month h3 { font-size: 1rem; color: var(--muted); margin: 1rem 0 .4rem; font-weight: 600; }
.grid { display: flex; flex-wrap: wrap; gap: 4px; }
.grid::after { content: ""; flex-grow: 999999; }
.tile { position: relative; height: var(--tile); flex-grow: 1; display: block; background: var(--line); }
.tile img { display: block; height: 100%; width: auto; min-width: 100%; max-width: 100%; object-fit: cover; }
.badge { position: absolute; left: 4px; bottom: 4px; padding: 0 .35rem; border-radius: 4px; background: rgba(0,0,0,.65); color: #fff; font-size: 12px; }
.badge.gone { left: auto; right: 4px; background: #b3261e; }
.badge.online { left: 4px; top: 4px; bottom: auto; background: rgba(20,60,140,.8); }
figcaption.online-only { font-size: .85rem; color: #555; }
.pager { margin: 1.5rem 0; text-align: center; color: var(--muted); }
.muted { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 1rem; }
.card { text-decoration: none; color: var(--fg); }
.card img { width: 100%; aspect-ratio: 1; object-fit: cover; display: block; background: var(--line); border-radius: 4px; }
.card .title { display: block; font-weight: 600; margin-top: .3rem; }
.card .count { color: var(--muted); font-size: .9em; }
.photo { display: grid; grid-template-columns: minmax(0, 3fr) minmax(18rem, 1fr); gap: 1.5rem; align-items: start; }
.photo .about { position: sticky; top: 4rem; max-height: calc(100vh - 5rem); overflow-y: auto; overscroll-behavior: contain; padding-right: .5rem; overflow-wrap: anywhere; }
@media (max-width: 900px) { .photo { grid-template-columns: 1fr; } .photo .about { position: static; max-height: none; overflow: visible; } :root { --tile: 120px; } }
.stage { margin: 0; }
.frame { position: relative; width: fit-content; max-width: 100%; margin: 0 auto; }
.stage img, .stage video { display: block; max-width: 100%; max-height: 85vh; width: auto; height: auto; margin: 0 auto; background: var(--line); }
.note { position: absolute; display: none; border: 1px solid rgba(255,255,255,.9); box-shadow: 0 0 0 1px rgba(0,0,0,.6); }
.frame.notes-placed .note { display: block; }
.frame:hover .note, .note:focus { border-color: #ffd54f; }
.note-text { display: none; position: absolute; left: 0; top: 100%; z-index: 10; margin-top: 4px; min-width: 10rem; max-width: 20rem; padding: .35rem .55rem; border-radius: 4px; background: rgba(0,0,0,.85); color: #fff; font-size: .9em; }
.note-text a { color: #9cc9ff; }
.note:hover .note-text, .note:focus .note-text, .note:focus-within .note-text { display: block; }
.context { margin: 0 0 .5rem; color: var(--muted); }
.part { border-top: 1px solid var(--line); margin-top: 1rem; padding-top: .4rem; }
.part h2 { font-size: 1rem; margin: .3rem 0 .5rem; }
.part h3 { font-size: .9rem; color: var(--muted); margin: .8rem 0 .3rem; }
.part ul, .part ol { padding-left: 1.2rem; margin: .3rem 0; }
.crumbs a { white-space: normal; }
.comments { list-style: none; padding-left: 0; }
.comment { margin-bottom: .8rem; }
.byline { margin: 0; font-size: .9em; color: var(--muted); }
.comment-text, .note-body { overflow-wrap: anywhere; }
.counts span + span::before { content: " · "; color: var(--muted); }
.minimap { width: 100%; max-width: 22rem; aspect-ratio: 3 / 2; background: var(--line); border-radius: 4px; }
.minimap:empty { display: none; }
.changes dt { color: var(--muted); font-size: .85em; }
.changes dd { margin: 0 0 .3rem; overflow-wrap: anywhere; }
.hash { font-size: .8em; word-break: break-all; }
code { overflow-wrap: anywhere; }
.stepper { display: flex; justify-content: space-between; margin: .5rem 0; }
.facts dt { color: var(--muted); font-size: .85em; margin-top: .6rem; }
.facts dd { margin: 0; }
.tags a { display: inline-block; margin: 0 .3rem .3rem 0; padding: 0 .45rem; border: 1px solid var(--line); border-radius: 10px; text-decoration: none; }
.notice { padding: .5rem .8rem; border-radius: 6px; background: #fbe9e7; color: #5f1d12; }
@media (prefers-color-scheme: dark) { .notice { background: #4a1a14; color: #ffdad4; } }
.description { overflow-wrap: anywhere; }
.tree { list-style: none; margin: 0; padding-left: 1.2rem; border-left: 1px solid var(--line); }
.tree.top { padding-left: 0; border-left: 0; }
.collection { margin: .6rem 0; scroll-margin-top: 4rem; }
.collection > details > summary { cursor: pointer; font-weight: 600; font-size: 1.1rem; padding: .2rem 0; }
.collection .cards { margin: .5rem 0 .8rem; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); }
.collection:target > details > summary { color: var(--accent); }
.letters { position: sticky; top: 3.4rem; z-index: 10; display: flex; flex-wrap: wrap; gap: .2rem .6rem; padding: .4rem 0; background: var(--bg); border-bottom: 1px solid var(--line); }
.letters a { text-decoration: none; font-weight: 600; min-width: 1.2em; text-align: center; }
.tag-group h2 { font-size: 1.2rem; margin: 1.2rem 0 .4rem; scroll-margin-top: 6rem; }
.tag-list { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; align-items: baseline; }
.tag-list .count { color: var(--muted); font-size: .8rem; }
.tag-list .s1 { font-size: .9rem; } .tag-list .s2 { font-size: 1rem; } .tag-list .s3 { font-size: 1.15rem; }
.tag-list .s4 { font-size: 1.3rem; font-weight: 600; } .tag-list .s5 { font-size: 1.5rem; font-weight: 600; }
.status { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; }
.status dt { color: var(--muted); }
.status dd { margin: 0; overflow-wrap: anywhere; }
@media (max-width: 600px) { .status { grid-template-columns: 1fr; } .status dd { margin-bottom: .4rem; } .letters { position: static; } }
`
