/**
 * The analysis stand-in of the contract's recorded run (Appendix A): fixed results in the shapes `@repo/shared`
 * returns, and a record of every call with its arguments exactly as received.
 */
import type { PreviousMessage } from "../../../src/index.js"

export const positiveSentiment = {
  sentiment: "positive",
  confidence: 0.9,
  emotionalTone: ["happy", "curious"],
  archetypeAlignment: "Explorer",
  psychologicalState: { openness: "high" },
  communicationStyle: { formality: "casual", assertiveness: "balanced", engagement: "high" },
  explanation: "fixed result"
}

export const neutralSentiment = { ...positiveSentiment, sentiment: "neutral", confidence: 0.5 }

export const interactionMetrics = {
  interactionType: "question",
  userIntent: "casual_conversation",
  botPerception: "friendly",
  conversationQuality: "engaging"
}

export const queryMetrics = { queryComplexity: "simple", userSatisfaction: "satisfied" }

export type MessageCall = [
  messageContent: string,
  username: string,
  context: { previousMessages: Array<PreviousMessage> }
]

export const stubAnalyzer = () => {
  const messageCalls: Array<MessageCall> = []
  const queryCalls: Array<Array<unknown>> = []
  return {
    messageCalls,
    queryCalls,
    functions: {
      analyzeMessage: (
        messageContent: string,
        username: string,
        context: { previousMessages: Array<PreviousMessage> }
      ) => {
        messageCalls.push([messageContent, username, structuredClone(context)])
        return Promise.resolve({
          summary: `summary of: ${messageContent.slice(0, 20)}`,
          sentimentAnalysis: positiveSentiment,
          interactionMetrics
        })
      },
      analyzeQuery: (...args: [string, string, string?, string?, number?]) => {
        // All five positions, as the original passes them (missing ones as undefined).
        queryCalls.push([...args])
        return Promise.resolve({ sentimentAnalysis: neutralSentiment, queryMetrics })
      }
    }
  }
}
