/** Who is acting. Every core function takes one, and every query it runs is scoped to it. */
export interface Actor {
  userId: string;
}
