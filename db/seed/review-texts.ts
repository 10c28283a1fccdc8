import type { Language } from "./people.ts";
import type { Random } from "./random.ts";

type Mood = "happy" | "mixed" | "unhappy";

const OPENINGS: Record<Language, Record<Mood, readonly string[]>> = {
  en: {
    happy: [
      "Exactly the course I was looking for.",
      "Clear, practical and well paced.",
      "One of the best courses I have taken online.",
      "Great explanations and realistic examples.",
      "I finally understand this topic.",
      "Worth every minute.",
      "The instructor knows the subject and explains it simply.",
    ],
    mixed: [
      "Good content, but some lessons felt rushed.",
      "Solid overview, though I expected more depth.",
      "Useful, but the exercises could be harder.",
      "Decent course; the second half is stronger than the first.",
    ],
    unhappy: [
      "Too basic for the level it claims.",
      "The lessons jump around and are hard to follow.",
      "Not what the description promised.",
      "Audio quality made several videos hard to watch.",
    ],
  },
  ru: {
    happy: [
      "Именно то, что я искал.",
      "Понятно, по делу и в хорошем темпе.",
      "Один из лучших онлайн-курсов, которые я проходил.",
      "Отличные объяснения и жизненные примеры.",
      "Наконец-то разобрался в этой теме.",
      "Спасибо автору, курс стоит своего времени.",
    ],
    mixed: [
      "Хороший материал, но некоторые уроки слишком короткие.",
      "Неплохой обзор, хотелось бы больше глубины.",
      "Полезно, но задания могли бы быть сложнее.",
      "Вторая половина курса сильнее первой.",
    ],
    unhappy: [
      "Слишком просто для заявленного уровня.",
      "Материал подаётся сумбурно, трудно следить.",
      "Курс не соответствует описанию.",
      "Плохой звук в нескольких видео.",
    ],
  },
};

const DETAILS: Record<Language, Record<Mood, readonly string[]>> = {
  en: {
    happy: [
      "The exercises at the end of each module helped a lot.",
      "I used what I learned at work the very next week.",
      "Short videos that get straight to the point.",
      "I would happily take another course by this teacher.",
    ],
    mixed: [
      "A few more examples would make it great.",
      "Some videos could be shorter.",
      "Still, I learned a few useful things.",
    ],
    unhappy: [
      "I stopped halfway through.",
      "The examples are too simple to be useful.",
      "I would not recommend it at this price.",
    ],
  },
  ru: {
    happy: [
      "Практические задания в конце модулей очень помогли.",
      "Уже через неделю применил знания на работе.",
      "Короткие видео без воды.",
      "С удовольствием пройду ещё один курс этого автора.",
    ],
    mixed: [
      "Было бы больше примеров — было бы отлично.",
      "Некоторые видео можно сократить.",
      "Но несколько полезных вещей я узнал.",
    ],
    unhappy: [
      "Бросил на середине.",
      "Примеры слишком простые.",
      "За эти деньги не рекомендую.",
    ],
  },
};

/** Plain text, as reviews are stored; some people leave only a rating. */
export function reviewBody(random: Random, language: Language, rating: number): string {
  if (random.chance(0.1)) return "";
  const mood: Mood = rating >= 4 ? "happy" : rating === 3 ? "mixed" : "unhappy";
  const opening = random.pick(OPENINGS[language][mood]);
  return random.chance(0.6) ? `${opening} ${random.pick(DETAILS[language][mood])}` : opening;
}
