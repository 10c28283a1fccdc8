/** The catalog's shelves, in display order; both the demo and the bulk catalog use them. */
export const CATEGORIES = [
  { slug: "programming", name: "Programming" },
  { slug: "web-development", name: "Web Development" },
  { slug: "data-science", name: "Data Science" },
  { slug: "ai-machine-learning", name: "AI & Machine Learning" },
  { slug: "devops-cloud", name: "DevOps & Cloud" },
  { slug: "mobile-development", name: "Mobile Development" },
  { slug: "design", name: "Design" },
  { slug: "business", name: "Business" },
  { slug: "marketing", name: "Marketing" },
  { slug: "languages", name: "Languages" },
] as const;

export type CategorySlug = (typeof CATEGORIES)[number]["slug"];
