// The viewer's one script (a plain module, no build step): more of a listing as its end scrolls
// into view, by following its rel="next" link, the arrow keys for previous and next, and a
// photo's notes placed over it.
export const VIEWER_JS = `
const follow = async (pager) => {
  const link = pager.querySelector('a[rel="next"]')
  if (!link || pager.dataset.loading) return
  pager.dataset.loading = "1"
  try {
    const answer = await fetch(link.href, { credentials: "same-origin" })
    if (!answer.ok) throw new Error(String(answer.status))
    const next = new DOMParser().parseFromString(await answer.text(), "text/html")
    const listing = document.querySelector(".listing")
    const incoming = next.querySelector(".listing")
    const nextPager = next.querySelector(".pager")
    if (!listing || !incoming || !nextPager) throw new Error("not a listing")
    for (const child of Array.from(incoming.children)) {
      const lastMonth = listing.querySelector(".month:last-of-type")
      const lastYear = Array.from(listing.querySelectorAll("h2.year")).pop()
      // A month or year that carries on from the chunk before keeps its one heading.
      if (child.matches("h2.year") && lastYear && lastYear.dataset.year === child.dataset.year) continue
      if (child.matches(".month") && lastMonth && lastMonth.dataset.month === child.dataset.month && listing.lastElementChild === lastMonth) {
        lastMonth.querySelector(".grid").append(...child.querySelector(".grid").children)
        continue
      }
      listing.append(document.adoptNode(child))
    }
    pager.replaceWith(document.adoptNode(nextPager))
    watch()
  } catch {
    delete pager.dataset.loading
  }
}

const watch = () => {
  const pager = document.querySelector(".pager")
  if (!pager || !pager.querySelector('a[rel="next"]') || !("IntersectionObserver" in window)) return
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      observer.disconnect()
      follow(pager)
    }
  }, { rootMargin: "800px" })
  observer.observe(pager)
}

// A picture from Flickr (not downloaded) that cannot load, offline: the placeholder that says so.
// Error events do not bubble: listened for in the capture phase, so images added later count too.
document.addEventListener("error", (event) => {
  const img = event.target
  if (!(img instanceof HTMLImageElement) || !img.dataset.offline || img.dataset.swapped) return
  img.dataset.swapped = "1"
  img.src = img.dataset.offline
}, true)

document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return
  if (event.target instanceof HTMLElement && event.target.closest("input, textarea, select, video, [contenteditable]")) return
  const rel = event.key === "ArrowLeft" ? "prev" : event.key === "ArrowRight" ? "next" : null
  const link = rel && document.querySelector('.stepper a[rel="' + rel + '"]')
  if (link) {
    event.preventDefault()
    location.href = link.href
  }
})

watch()

// Notes come in the pixels of Flickr's 500-pixel display of the photo: placed in percent of the
// picture, through CSSOM (the CSP allows no inline style attributes).
const placeNotes = (frame) => {
  const img = frame.querySelector("img")
  let width = Number(frame.dataset.notesWidth)
  let height = Number(frame.dataset.notesHeight)
  if (!(width > 0 && height > 0)) {
    if (!img || !img.naturalWidth) return false
    const scale = Math.min(1, 500 / Math.max(img.naturalWidth, img.naturalHeight))
    width = Math.round(img.naturalWidth * scale)
    height = Math.round(img.naturalHeight * scale)
  }
  const percent = (value, of) => Math.min(100, Math.max(0, (Number(value) / of) * 100)) + "%"
  for (const note of frame.querySelectorAll(".note")) {
    note.style.left = percent(note.dataset.x, width)
    note.style.top = percent(note.dataset.y, height)
    note.style.width = percent(note.dataset.w, width)
    note.style.height = percent(note.dataset.h, height)
  }
  frame.classList.add("notes-placed")
  return true
}

for (const frame of document.querySelectorAll(".frame")) {
  if (!frame.querySelector(".note") || placeNotes(frame)) continue
  frame.querySelector("img")?.addEventListener("load", () => placeNotes(frame), { once: true })
}
`
