// The XMP each copy carries: the sidecar's, rendered from the same record (placeholder until the
// sidecar renderer is merged).
import { Effect } from "effect"
import type { ChosenPhoto } from "../../services/database/CopyOutRepository.js"

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;")

/** Each photo's XMP packet, by id. */
export const xmpFor = (photos: ReadonlyArray<ChosenPhoto>, _options: { readonly gps: boolean }) =>
  Effect.succeed(new Map(photos.map((p) => [p.id, `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escape(p.title ?? "")}</rdf:li></rdf:Alt></dc:title>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`])) as ReadonlyMap<string, string>)
