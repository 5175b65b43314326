// The viewer's one script (a plain module, no build step): more of a listing as its end scrolls
// into view, by following its rel="next" link, and the arrow keys for previous and next.
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
`
