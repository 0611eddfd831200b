// A stand-in for the bot's @repo/shared in the smoke test: the two analysis calls the package looks for at run time,
// with fixed answers, recording what they were given so the test can check the context the package passed.
export const calls = []

export async function analyzeMessage(messageContent, username, context) {
  calls.push({ kind: "message", messageContent, username, context })
  return {
    summary: `summary of: ${messageContent.slice(0, 20)}`,
    sentimentAnalysis: { sentiment: "positive", confidence: 0.9, emotionalTone: ["happy"], explanation: "stub" },
    interactionMetrics: {
      interactionType: "question",
      userIntent: "information_seeking",
      botPerception: "helpful",
      conversationQuality: "engaging"
    }
  }
}

export async function analyzeQuery(queryText, username) {
  calls.push({ kind: "query", queryText, username })
  return {
    sentimentAnalysis: { sentiment: "neutral", confidence: 0.5, emotionalTone: [], explanation: "stub" },
    queryMetrics: { queryComplexity: "simple", userSatisfaction: "satisfied" }
  }
}
