import type { Random } from "./random.ts";
import { slugify } from "../../api/lib/slug.ts";
import { MINUTE } from "./time.ts";
import type { UserRow } from "./write.ts";

export type Language = "en" | "ru";

const ENGLISH_FIRST_NAMES = [
  "Olivia",
  "Liam",
  "Emma",
  "Noah",
  "Ava",
  "Ethan",
  "Mia",
  "Lucas",
  "Chloe",
  "Mason",
  "Grace",
  "Leo",
  "Zoe",
  "Owen",
  "Nora",
  "Caleb",
  "Isla",
  "Julian",
  "Ruby",
  "Adrian",
  "Hazel",
  "Felix",
  "Aisha",
  "Mateo",
  "Priya",
  "Kenji",
  "Fatima",
  "Diego",
  "Ingrid",
  "Tomasz",
  "Amara",
  "Rafael",
  "Yuki",
  "Samir",
];
const ENGLISH_LAST_NAMES = [
  "Smith",
  "Johnson",
  "Brown",
  "Garcia",
  "Miller",
  "Davis",
  "Wilson",
  "Anderson",
  "Thomas",
  "Moore",
  "Jackson",
  "Martin",
  "Thompson",
  "White",
  "Harris",
  "Clark",
  "Lewis",
  "Walker",
  "Hall",
  "Young",
  "King",
  "Wright",
  "Scott",
  "Green",
  "Baker",
  "Adams",
  "Nelson",
  "Patel",
  "Nguyen",
  "Kowalski",
  "Okafor",
  "Fischer",
  "Rossi",
  "Tanaka",
  "Haddad",
  "Lindqvist",
];
const RUSSIAN_MALE_FIRST_NAMES = [
  "Александр",
  "Дмитрий",
  "Максим",
  "Сергей",
  "Андрей",
  "Алексей",
  "Иван",
  "Михаил",
  "Никита",
  "Егор",
  "Павел",
  "Роман",
  "Артём",
  "Кирилл",
  "Илья",
  "Тимур",
];
const RUSSIAN_FEMALE_FIRST_NAMES = [
  "Анна",
  "Мария",
  "Елена",
  "Ольга",
  "Наталья",
  "Екатерина",
  "Татьяна",
  "Ирина",
  "Дарья",
  "Полина",
  "Алиса",
  "Ксения",
  "Виктория",
  "Софья",
  "Юлия",
  "Вера",
];
/** Masculine forms; the feminine one is derived, as Russian surnames agree with gender. */
const RUSSIAN_LAST_NAMES = [
  "Иванов",
  "Смирнов",
  "Кузнецов",
  "Попов",
  "Васильев",
  "Петров",
  "Соколов",
  "Михайлов",
  "Новиков",
  "Фёдоров",
  "Морозов",
  "Волков",
  "Алексеев",
  "Лебедев",
  "Семёнов",
  "Егоров",
  "Павлов",
  "Козлов",
  "Степанов",
  "Николаев",
  "Орлов",
  "Андреев",
  "Макаров",
  "Захаров",
  "Зайцев",
  "Белов",
  "Ковалевский",
  "Тарасов",
  "Беляев",
  "Гусев",
];

function feminineSurname(surname: string): string {
  return surname.endsWith("ий") ? `${surname.slice(0, -2)}ая` : `${surname}а`;
}

export function personName(random: Random, language: Language): string {
  if (language === "en") return `${random.pick(ENGLISH_FIRST_NAMES)} ${random.pick(ENGLISH_LAST_NAMES)}`;
  const surname = random.pick(RUSSIAN_LAST_NAMES);
  return random.chance(0.5)
    ? `${random.pick(RUSSIAN_MALE_FIRST_NAMES)} ${surname}`
    : `${random.pick(RUSSIAN_FEMALE_FIRST_NAMES)} ${feminineSurname(surname)}`;
}

/** `first.last` in Latin letters, as people pick for their addresses. */
export function emailLocalPart(name: string): string {
  return slugify(name).replace(/-/g, ".");
}

export interface NewUser {
  name: string;
  email: string;
  role: "student" | "teacher" | "admin";
  passwordHash: string;
  createdAt: number;
}

/** Verified a few minutes after sign-up: buying and publishing need a verified address. */
export function userRow(random: Random, user: NewUser): UserRow {
  const createdAt = new Date(user.createdAt);
  return {
    id: random.uuidv7(user.createdAt),
    email: user.email.toLowerCase(),
    name: user.name,
    role: user.role,
    passwordHash: user.passwordHash,
    emailVerifiedAt: new Date(user.createdAt + random.int(1, 30) * MINUTE),
    lastSeenAt: null,
    createdAt,
    updatedAt: createdAt,
  };
}
