import type { Level } from "./catalog.ts";
import type { Language } from "./people.ts";
import type { Random } from "./random.ts";
import { type Block, fill } from "./text.ts";

interface LessonPhrases {
  first: string;
  middle: readonly string[];
  last: string;
  textIntro: readonly string[];
  textListIntro: string;
  textPoints: readonly string[];
  textOutro: string;
  videoIntro: readonly string[];
  videoQuestions: readonly string[];
}

const LESSONS: Record<Language, LessonPhrases> = {
  en: {
    first: "{module}: overview",
    middle: [
      "{module}: key ideas",
      "{module}: a worked example",
      "{module}: step by step",
      "{module}: hands-on exercise",
      "{module}: common mistakes",
      "{module} in a real project",
    ],
    last: "{module}: recap and quiz",
    textIntro: [
      "We start with the idea behind “{module}” and then see how it plays out in a small, realistic example.",
      "Read the explanation at your own pace, then try the short exercise at the end.",
      "Most confusion around this topic comes from a few misconceptions; we clear them up one by one.",
      "Keep an editor open while you read: trying things yourself is the fastest way to make them stick.",
    ],
    textListIntro: "In this lesson:",
    textPoints: [
      "the core idea in plain words",
      "a worked example you can reuse",
      "a checklist to apply at work",
      "pitfalls to watch out for",
      "a short self-check exercise",
      "links to go deeper",
    ],
    textOutro: "Done? Mark the lesson complete and move on to the next one.",
    videoIntro: [
      "Watch the video, then answer the questions below for yourself.",
      "A short demonstration of “{module}”. Pause whenever you want to try a step yourself.",
      "In this video we walk through the topic from start to finish, with no steps skipped.",
    ],
    videoQuestions: [
      "What problem does this solve?",
      "Where would you use it in your own work?",
      "What would go wrong if you skipped it?",
      "How would you explain it to a colleague?",
    ],
  },
  ru: {
    first: "{module}: обзор",
    middle: [
      "{module}: ключевые идеи",
      "{module}: разбор примера",
      "{module}: шаг за шагом",
      "{module}: практическое задание",
      "{module}: типичные ошибки",
      "{module} в реальном проекте",
    ],
    last: "{module}: итоги и тест",
    textIntro: [
      "Начнём с идеи, которая стоит за темой «{module}», а затем разберём небольшой жизненный пример.",
      "Читайте в удобном темпе, а в конце выполните короткое упражнение.",
      "Большая часть путаницы в этой теме связана с несколькими заблуждениями — разберём их по очереди.",
      "Держите редактор открытым: попробовать самому — лучший способ запомнить.",
    ],
    textListIntro: "В этом уроке:",
    textPoints: [
      "главная идея простыми словами",
      "разобранный пример, который можно переиспользовать",
      "чек-лист для применения на работе",
      "подводные камни",
      "короткое упражнение для самопроверки",
      "ссылки для углублённого изучения",
    ],
    textOutro: "Готово? Отметьте урок пройденным и переходите к следующему.",
    videoIntro: [
      "Посмотрите видео и ответьте себе на вопросы ниже.",
      "Короткая демонстрация по теме «{module}». Ставьте на паузу и повторяйте шаги сами.",
      "В этом видео мы проходим тему от начала до конца, не пропуская шагов.",
    ],
    videoQuestions: [
      "Какую задачу это решает?",
      "Где вы примените это в своей работе?",
      "Что пойдёт не так, если это пропустить?",
      "Как бы вы объяснили это коллеге?",
    ],
  },
};

/** Overview first, recap last when there is room, varied steps between. */
export function lessonTitles(random: Random, language: Language, module: string, count: number): string[] {
  const phrases = LESSONS[language];
  const middleCount = count >= 3 ? count - 2 : count - 1;
  const middle = random.sample(phrases.middle, middleCount);
  const titles = [phrases.first, ...middle, ...(count >= 3 ? [phrases.last] : [])];
  return titles.map((title) => fill(title, { module }));
}

export function lessonBlocks(random: Random, language: Language, kind: "text" | "video", module: string): Block[] {
  const phrases = LESSONS[language];
  if (kind === "video") {
    return [fill(random.pick(phrases.videoIntro), { module }), random.sample(phrases.videoQuestions, 2)];
  }
  const [opening, second] = random.sample(phrases.textIntro, 2).map((line) => fill(line, { module }));
  return [opening!, second!, phrases.textListIntro, random.sample(phrases.textPoints, 3), phrases.textOutro];
}

const AUDIENCE: Record<Language, Record<Level, string>> = {
  en: {
    beginner: "No prior experience needed: we start from the very basics and build up step by step.",
    intermediate: "You should be comfortable with the fundamentals; we build on them quickly and focus on practice.",
    advanced: "For experienced practitioners who want to go deeper and handle the hard cases with confidence.",
  },
  ru: {
    beginner: "Опыт не нужен: начинаем с самых основ и двигаемся шаг за шагом.",
    intermediate: "Нужно уверенное знание основ: мы быстро на них опираемся и много практикуемся.",
    advanced: "Для опытных специалистов, которые хотят разобраться глубже и уверенно решать сложные задачи.",
  },
};

const OUTCOMES_HEADING: Record<Language, string> = {
  en: "What you will learn:",
  ru: "Чему вы научитесь:",
};

export function courseDescriptionBlocks(
  language: Language,
  level: Level,
  summary: readonly string[],
  outcomes: readonly string[],
): Block[] {
  return [...summary, AUDIENCE[language][level], OUTCOMES_HEADING[language], outcomes];
}
