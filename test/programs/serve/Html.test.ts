// The `html` template: every value escaped (text and attributes alike), arrays joined, nothing for
// null, undefined and booleans, and only Html values (templates, sanitised text) put in as they are.
import { describe, expect, it } from "vitest"
import { escapeText, html, query, trusted } from "../../../src/programs/serve/Html.js"

describe("Html", () => {
  it("escapes the five characters that matter in text and in quoted attributes", () => {
    expect(escapeText(`<a href="x" title='y'>&amp;</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;")
    const hostile = `"><script>alert(1)</script><img src=x onerror='alert(2)'>`
    expect(html`<p title="${hostile}">${hostile}</p>`.value).toBe(
      `<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&#39;alert(2)&#39;&gt;">` +
        `&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&#39;alert(2)&#39;&gt;</p>`
    )
  })

  it("puts numbers as they are; null, undefined, true and false as nothing", () => {
    expect(html`[${1}|${0}|${-2.5}|${null}|${undefined}|${true}|${false}]`.value).toBe("[1|0|-2.5||||]")
  })

  it("joins arrays, nested ones too, escaping each string in them", () => {
    expect(html`<ul>${["<b>", html`<li>ok</li>`, [null, "&", [2]]]}</ul>`.value).toBe("<ul>&lt;b&gt;<li>ok</li>&amp;2</ul>")
    expect(html`${[]}`.value).toBe("")
  })

  it("nests templates and trusted markup without escaping them again", () => {
    const inner = html`<i>${"<x>"}</i>`
    expect(html`<p>${inner}${trusted("<br>")}</p>`.value).toBe("<p><i>&lt;x&gt;</i><br></p>")
  })

  it("query strings from the parameters that have a value, encoded", () => {
    expect(query({})).toBe("")
    expect(query({ in: null, after: undefined })).toBe("")
    expect(query({ in: "album:72157", after: 5 })).toBe("?in=album%3A72157&after=5")
    expect(query({ q: `"a b"&c=<d>` })).toBe("?q=%22a+b%22%26c%3D%3Cd%3E")
  })
})
