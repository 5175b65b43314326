import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { largestPhotoSize, largestVideoFile, SizesAnswer, videoOriginal } from "../../src/schema/Sizes.js"
import { readSample } from "../support/Fixtures.js"

const decode = Schema.decodeUnknownSync(SizesAnswer)

describe("photos.getSizes", () => {
  it("decodes the recorded answer: widths and heights of either type; the largest photo size is the Original", () => {
    const sample = readSample("flickr.photos.getSizes") as { sizes: { size: Array<Record<string, unknown>> } }
    const sizes = decode(sample).sizes.size
    expect(sizes.map((s) => s.label)).toEqual(sample.sizes.size.map((s) => s.label))
    expect(sizes.map((s) => [s.width, s.height])).toEqual(sample.sizes.size.map((s) => [Number(s.width), Number(s.height)]))
    const largest = largestPhotoSize(sizes)
    expect(largest).toMatchObject({ label: "Original", width: 3776, height: 2520 })
    expect(largest?.source).toBe(sample.sizes.size.at(-1)!.source)
    // Without the Original (a free account since 2025), the next largest.
    expect(largestPhotoSize(sizes.filter((s) => s.label !== "Original"))?.label).toBe("Large 2048")
  })

  it("a video: the Video Original found by its label, the largest MP4 never the player nor the original, empty widths as unknown", () => {
    const video = (label: string, width: unknown, height: unknown, source: string) => ({ label, width, height, source, url: "", media: "video" })
    const sizes = decode({
      sizes: {
        size: [
          { label: "Medium", width: 500, height: 281, source: "https://x/1_s.jpg", media: "photo" },
          video("Video Player", 640, 360, "https://www.flickr.com/apps/video/stewart.swf"),
          video("Site MP4", 640, 360, "https://x/play/site/1.mp4"),
          video("Mobile MP4", "", "", "https://x/play/mobile/1.mp4"),
          video("HD MP4", "1280", "720", "https://x/play/hd/1.mp4"),
          video("Video Original", "1920", "1080", "https://x/play/orig/abc/")
        ]
      }
    }).sizes.size
    expect(sizes.find((s) => s.label === "Mobile MP4")).toMatchObject({ width: null, height: null })
    expect(largestVideoFile(sizes)?.label).toBe("HD MP4")
    expect(videoOriginal(sizes)?.source).toBe("https://x/play/orig/abc/")
    expect(videoOriginal(sizes.filter((s) => s.label !== "Video Original"))).toBeUndefined()
  })
})
