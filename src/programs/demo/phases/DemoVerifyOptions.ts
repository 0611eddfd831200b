/**
 * Verify as the demo runs it: the guide's targets (p95 under 100 ms, failures under 1%), fewer latency runs, and
 * search words chosen so that every match is compared (see SearchWords.ts).
 */
import { Effect } from "effect"
import type { VerifyOptions } from "../../verify/VerifyOptions.js"
import { pageSizedWords } from "../SearchWords.js"

export const demoVerifyOptions = Effect.map(pageSizedWords(5), (searchWords): Partial<VerifyOptions> => ({
  latencyRuns: 20,
  sampleKeys: 5,
  searchSamples: 0,
  searchWords
}))
