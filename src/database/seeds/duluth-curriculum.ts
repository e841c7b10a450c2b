/**
 * The Duluth curriculum: the eight themes of the Equality Wheel (Domestic Abuse Intervention
 * Programs), three sessions each, in the order the program teaches them.
 */
export const DULUTH_CURRICULUM = {
  name: 'Duluth Model — Creating a Process of Change for Men Who Batter',
  description: 'Eight Equality Wheel themes, three weekly sessions each; rolling enrollment.',
  themes: [
    {
      theme: 'Non-violence',
      titles: ['What is violence: the Power and Control Wheel', 'Intimidation and its effects', 'Taking responsibility for violence'],
    },
    {
      theme: 'Non-threatening behaviour',
      titles: ['Threats and how they work', 'Talking and acting so she feels safe', 'Time-outs and self-talk'],
    },
    {
      theme: 'Respect',
      titles: ['Emotional abuse and respect', 'Listening without judging', 'Valuing her opinions'],
    },
    {
      theme: 'Support and trust',
      titles: ['Isolation and jealousy', 'Supporting her goals', 'Respecting her right to her own feelings and friends'],
    },
    {
      theme: 'Accountability and honesty',
      titles: ['Minimizing, denying and blaming', 'Accepting responsibility for self', 'Admitting past abuse'],
    },
    {
      theme: 'Sexual respect',
      titles: ['Sexual abuse and entitlement', 'Consent and respect', 'Affection without pressure'],
    },
    {
      theme: 'Partnership',
      titles: ['Male privilege and shared work', 'Sharing decisions about money', 'Being a non-violent parent'],
    },
    {
      theme: 'Negotiation and fairness',
      titles: ['Economic abuse and fairness', 'Negotiating conflict', 'Accepting change and compromise'],
    },
  ],
} as const;
