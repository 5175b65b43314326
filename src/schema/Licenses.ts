// Flickr's licences by id, as flickr.photos.licenses.getInfo names them, with the page each links to.
export interface License {
  readonly id: number
  readonly name: string
  /** The licence's own page; none for "All Rights Reserved". */
  readonly url: string | null
}

export const LICENSES: ReadonlyArray<License> = [
  { id: 0, name: "All Rights Reserved", url: null },
  { id: 1, name: "Attribution-NonCommercial-ShareAlike", url: "https://creativecommons.org/licenses/by-nc-sa/2.0/" },
  { id: 2, name: "Attribution-NonCommercial", url: "https://creativecommons.org/licenses/by-nc/2.0/" },
  { id: 3, name: "Attribution-NonCommercial-NoDerivs", url: "https://creativecommons.org/licenses/by-nc-nd/2.0/" },
  { id: 4, name: "Attribution", url: "https://creativecommons.org/licenses/by/2.0/" },
  { id: 5, name: "Attribution-ShareAlike", url: "https://creativecommons.org/licenses/by-sa/2.0/" },
  { id: 6, name: "Attribution-NoDerivs", url: "https://creativecommons.org/licenses/by-nd/2.0/" },
  { id: 7, name: "No known copyright restrictions", url: "https://www.flickr.com/commons/usage/" },
  { id: 8, name: "United States Government Work", url: "http://www.usa.gov/copyright.shtml" },
  { id: 9, name: "Public Domain Dedication (CC0)", url: "https://creativecommons.org/publicdomain/zero/1.0/" },
  { id: 10, name: "Public Domain Mark", url: "https://creativecommons.org/publicdomain/mark/1.0/" }
]

const BY_ID = new Map(LICENSES.map((l) => [l.id, l]))

/** The licence with this id; an id Flickr added later than this table gets its number for a name. */
export const licenseOf = (id: number): License => BY_ID.get(id) ?? { id, name: `Flickr licence ${id}`, url: null }
