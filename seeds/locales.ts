/**
 * Text material for the demo generator: countries, languages, name pools, bio and caption templates, category
 * words and hashtags. Plain data, no logic beyond look-ups.
 *
 * Names are common given names and surnames of each culture, combined at random: any resemblance to a real
 * person is a coincidence of common names. Contact e-mails use the reserved example.* domains (RFC 2606), and
 * links point at the platforms' public URL shapes with made-up ids.
 */
import type { Category } from "../schema/enums.js";

/**
 * A locale is a language plus a script: Chinese needs two (Simplified for CN, Traditional for TW) that share
 * the ISO 639-1 code "zh".
 */
export const LOCALES = ["en", "es", "pt", "fr", "de", "it", "ja", "ko", "zhHans", "zhHant", "id", "ar", "hi"] as const;
export type Locale = (typeof LOCALES)[number];

/** ISO 639-1 code stored in `influencers.language`. */
export function languageOf(locale: Locale): string {
  return locale === "zhHans" || locale === "zhHant" ? "zh" : locale;
}

export const NAME_CULTURES = [
  "en", "es", "pt", "fr", "de", "it", "ja", "ko", "zhHans", "zhHant", "id", "in", "ar", "ng", "ph", "za",
] as const;
export type NameCulture = (typeof NAME_CULTURES)[number];

export interface CountryProfile {
  /** ISO 3166-1 alpha-2. */
  code: string;
  /**
   * Relative share of creators. An assumption for demo data, loosely following where creator-marketing platforms
   * report most creators (the US first, then large social markets such as IN, BR, ID); not a measured figure.
   */
  weight: number;
  /** Locales creators of this country post in, with weights. */
  locales: readonly (readonly [Locale, number])[];
  /** Name culture per locale; the first entry is the default. */
  names: Partial<Record<Locale, NameCulture>> & { default: NameCulture };
  /** Cities, in the script of each locale (a locale without its own list uses `default`). */
  cities: Partial<Record<Locale, readonly string[]>> & { default: readonly string[] };
  /** Countries that typically make up the rest of a creator's audience (shared language, region, diaspora). */
  audienceNeighbors: readonly string[];
}

export const COUNTRIES: readonly CountryProfile[] = [
  { code: "US", weight: 20, locales: [["en", 0.88], ["es", 0.12]], names: { default: "en", es: "es" },
    cities: { default: ["New York", "Los Angeles", "Chicago", "Austin", "Miami", "Seattle", "Atlanta", "Denver"] },
    audienceNeighbors: ["CA", "GB", "MX", "AU", "IN", "PH", "BR", "DE"] },
  { code: "GB", weight: 6, locales: [["en", 1]], names: { default: "en" },
    cities: { default: ["London", "Manchester", "Bristol", "Glasgow", "Leeds", "Brighton"] },
    audienceNeighbors: ["US", "IE", "AU", "CA", "DE", "FR", "ES"] },
  { code: "CA", weight: 4, locales: [["en", 0.8], ["fr", 0.2]], names: { default: "en", fr: "fr" },
    cities: { default: ["Toronto", "Vancouver", "Montréal", "Calgary", "Ottawa"] },
    audienceNeighbors: ["US", "GB", "FR", "AU", "IN", "PH"] },
  { code: "AU", weight: 3, locales: [["en", 1]], names: { default: "en" },
    cities: { default: ["Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide"] },
    audienceNeighbors: ["NZ", "US", "GB", "CA", "ID", "PH"] },
  { code: "DE", weight: 5, locales: [["de", 1]], names: { default: "de" },
    cities: { default: ["Berlin", "München", "Hamburg", "Köln", "Frankfurt", "Leipzig"] },
    audienceNeighbors: ["AT", "CH", "US", "NL", "PL", "GB", "TR"] },
  { code: "FR", weight: 4, locales: [["fr", 1]], names: { default: "fr" },
    cities: { default: ["Paris", "Lyon", "Marseille", "Bordeaux", "Lille", "Nantes"] },
    audienceNeighbors: ["BE", "CH", "CA", "MA", "US", "ES", "DZ"] },
  { code: "ES", weight: 4, locales: [["es", 1]], names: { default: "es" },
    cities: { default: ["Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao", "Málaga"] },
    audienceNeighbors: ["MX", "AR", "CO", "US", "FR", "IT", "CL"] },
  { code: "IT", weight: 3, locales: [["it", 1]], names: { default: "it" },
    cities: { default: ["Milano", "Roma", "Napoli", "Torino", "Bologna", "Firenze"] },
    audienceNeighbors: ["CH", "US", "ES", "FR", "DE", "GB", "BR"] },
  { code: "BR", weight: 8, locales: [["pt", 1]], names: { default: "pt" },
    cities: { default: ["São Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba", "Salvador", "Recife"] },
    audienceNeighbors: ["PT", "US", "AR", "AO", "PY", "JP"] },
  { code: "MX", weight: 4, locales: [["es", 1]], names: { default: "es" },
    cities: { default: ["Ciudad de México", "Guadalajara", "Monterrey", "Puebla", "Mérida"] },
    audienceNeighbors: ["US", "CO", "AR", "ES", "GT", "PE", "CL"] },
  { code: "IN", weight: 9, locales: [["en", 0.72], ["hi", 0.28]], names: { default: "in" },
    cities: { default: ["Mumbai", "Delhi", "Bengaluru", "Hyderabad", "Pune", "Jaipur"],
      hi: ["मुंबई", "दिल्ली", "जयपुर", "लखनऊ", "पटना", "इंदौर"] },
    audienceNeighbors: ["US", "AE", "GB", "BD", "NP", "CA", "SA"] },
  { code: "JP", weight: 4, locales: [["ja", 1]], names: { default: "ja" },
    cities: { default: ["東京", "大阪", "福岡", "札幌", "名古屋", "京都"] },
    audienceNeighbors: ["US", "TW", "KR", "TH", "HK", "ID"] },
  { code: "KR", weight: 3, locales: [["ko", 1]], names: { default: "ko" },
    cities: { default: ["서울", "부산", "인천", "대구", "제주"] },
    audienceNeighbors: ["US", "JP", "TW", "ID", "PH", "TH", "VN"] },
  { code: "TW", weight: 2, locales: [["zhHant", 1]], names: { default: "zhHant" },
    cities: { default: ["台北", "台中", "高雄", "台南", "新竹"] },
    audienceNeighbors: ["HK", "MY", "US", "JP", "CN", "SG"] },
  { code: "CN", weight: 3, locales: [["zhHans", 1]], names: { default: "zhHans" },
    cities: { default: ["上海", "北京", "成都", "广州", "深圳", "杭州"] },
    audienceNeighbors: ["TW", "HK", "SG", "MY", "US", "CA", "AU"] },
  { code: "ID", weight: 5, locales: [["id", 1]], names: { default: "id" },
    cities: { default: ["Jakarta", "Bandung", "Surabaya", "Yogyakarta", "Bali", "Medan"] },
    audienceNeighbors: ["MY", "SG", "US", "PH", "IN", "AU"] },
  { code: "PH", weight: 3, locales: [["en", 1]], names: { default: "ph" },
    cities: { default: ["Manila", "Quezon City", "Cebu", "Davao", "Makati"] },
    audienceNeighbors: ["US", "SA", "AE", "CA", "JP", "AU", "SG"] },
  { code: "NG", weight: 2, locales: [["en", 1]], names: { default: "ng" },
    cities: { default: ["Lagos", "Abuja", "Port Harcourt", "Ibadan", "Enugu"] },
    audienceNeighbors: ["GH", "US", "GB", "KE", "ZA", "CA"] },
  { code: "ZA", weight: 1.5, locales: [["en", 1]], names: { default: "za" },
    cities: { default: ["Cape Town", "Johannesburg", "Durban", "Pretoria", "Gqeberha"] },
    audienceNeighbors: ["NG", "GB", "US", "BW", "NA", "ZW", "AU"] },
  { code: "AE", weight: 1.5, locales: [["en", 0.6], ["ar", 0.4]], names: { default: "ar" },
    cities: { default: ["Dubai", "Abu Dhabi", "Sharjah"], ar: ["دبي", "أبوظبي", "الشارقة"] },
    audienceNeighbors: ["SA", "IN", "EG", "KW", "PK", "GB", "QA"] },
];

/** Countries whose accounts sell followers in bulk; fake audiences over-represent them. A demo assumption. */
export const BOT_FARM_COUNTRIES = ["BD", "PK", "VN", "EG", "IN", "ID", "BR", "TR", "NG", "RU"] as const;

/** A name: how it is written, and a lower-case ASCII slug for handles and e-mails (romanised for CJK). */
export type NameEntry = readonly [written: string, slug: string];

/** "José Müller" → "josemuller": strips diacritics and everything outside [a-z0-9]. */
export function toSlug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

export interface NamePool {
  given: readonly NameEntry[];
  family: readonly NameEntry[];
  /** How the full name is written: family name first without a space (zh, ko), with a space (ja), or given first. */
  order: "given-family" | "family-given" | "familygiven";
}

/** Latin-script pools: comma-separated names; the slug strips diacritics and spaces. */
function latinPool(given: string, family: string): NamePool {
  const entries = (list: string) => list.split(",").map((n) => [n.trim(), toSlug(n)] as const);
  return { given: entries(given), family: entries(family), order: "given-family" };
}

/** CJK pools as "written:latin" pairs. */
function nativePool(given: string, family: string, order: NamePool["order"]): NamePool {
  const entries = (list: string) =>
    list.split(",").map((pair) => {
      const [written = "", latin = ""] = pair.trim().split(":");
      return [written, toSlug(latin)] as const;
    });
  return { given: entries(given), family: entries(family), order };
}

export const NAME_POOLS: Readonly<Record<NameCulture, NamePool>> = {
  en: latinPool(
    "Emma, Olivia, Ava, Mia, Chloe, Grace, Lily, Zoe, Maya, Harper, Jack, Noah, Liam, Ethan, Mason, Lucas, Ryan, Tyler, Jordan, Taylor",
    "Smith, Johnson, Brown, Miller, Davis, Wilson, Taylor, Clark, Walker, Hall, Young, King, Wright, Scott, Green, Baker, Turner, Parker, Evans, Collins",
  ),
  es: latinPool(
    "Sofía, Valentina, Camila, Lucía, Martina, Paula, Daniela, Carmen, Elena, Mateo, Santiago, Diego, Alejandro, Pablo, Javier, Andrés, Carlos, Miguel",
    "García, Martínez, López, Sánchez, Pérez, Gómez, Fernández, Rodríguez, Díaz, Torres, Ramírez, Flores, Romero, Navarro, Ruiz, Morales",
  ),
  pt: latinPool(
    "Ana, Beatriz, Júlia, Larissa, Mariana, Camila, Gabriela, Isabela, Lucas, Gabriel, Pedro, Rafael, Thiago, Matheus, João, Felipe",
    "Silva, Santos, Oliveira, Souza, Lima, Pereira, Costa, Ferreira, Almeida, Carvalho, Ribeiro, Rocha, Gomes, Martins, Barbosa, Araújo",
  ),
  fr: latinPool(
    "Léa, Chloé, Manon, Camille, Inès, Jade, Louise, Sarah, Hugo, Louis, Lucas, Théo, Nathan, Jules, Arthur, Maxime",
    "Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau, Simon, Laurent, Lefèvre, Michel, Fontaine, Rousseau",
  ),
  de: latinPool(
    "Mia, Emilia, Hannah, Lena, Lea, Anna, Laura, Sophie, Leon, Paul, Jonas, Finn, Felix, Lukas, Maximilian, Elias",
    "Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann, Koch, Richter, Klein, Wolf, Schröder, Neumann",
  ),
  it: latinPool(
    "Giulia, Sofia, Aurora, Alice, Chiara, Martina, Francesca, Elisa, Leonardo, Francesco, Alessandro, Lorenzo, Matteo, Andrea, Marco, Luca",
    "Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco, Bruno, Gallo, Conti, De Luca, Costa, Fontana",
  ),
  ja: nativePool(
    "美咲:misaki, 陽菜:hina, 結衣:yui, さくら:sakura, 葵:aoi, 七海:nanami, 彩花:ayaka, 真央:mao, 翔:sho, 大翔:hiroto, 蓮:ren, 悠真:yuma, 拓海:takumi, 健太:kenta, 颯太:sota, 優斗:yuto",
    "佐藤:sato, 鈴木:suzuki, 高橋:takahashi, 田中:tanaka, 伊藤:ito, 渡辺:watanabe, 山本:yamamoto, 中村:nakamura, 小林:kobayashi, 加藤:kato, 吉田:yoshida, 山田:yamada, 松本:matsumoto, 井上:inoue, 木村:kimura, 林:hayashi",
    "family-given",
  ),
  ko: nativePool(
    "민준:minjun, 서연:seoyeon, 지우:jiwoo, 하은:haeun, 도윤:doyoon, 서준:seojun, 지민:jimin, 수아:sua, 예은:yeeun, 현우:hyunwoo, 유진:yujin, 다은:daeun, 시우:siwoo, 채원:chaewon",
    "김:kim, 이:lee, 박:park, 최:choi, 정:jung, 강:kang, 조:cho, 윤:yoon, 장:jang, 임:lim, 한:han, 오:oh",
    "familygiven",
  ),
  zhHans: nativePool(
    "伟:wei, 芳:fang, 娜:na, 静:jing, 敏:min, 丽:li, 强:qiang, 磊:lei, 婷:ting, 雪:xue, 浩然:haoran, 子涵:zihan, 欣怡:xinyi, 梓萱:zixuan, 宇轩:yuxuan, 思远:siyuan",
    "王:wang, 李:li, 张:zhang, 刘:liu, 陈:chen, 杨:yang, 黄:huang, 赵:zhao, 吴:wu, 周:zhou, 徐:xu, 孙:sun, 林:lin, 何:he",
    "familygiven",
  ),
  zhHant: nativePool(
    "怡君:yijun, 雅婷:yating, 宜蓁:yizhen, 詩涵:shihhan, 欣妤:hsinyu, 家豪:chiahao, 冠宇:kuanyu, 承恩:chengen, 品妍:pinyen, 柏翰:pohan, 佳穎:chiaying, 宥廷:youting",
    "陳:chen, 林:lin, 黃:huang, 張:chang, 李:lee, 王:wang, 吳:wu, 劉:liu, 蔡:tsai, 楊:yang, 許:hsu, 鄭:cheng",
    "familygiven",
  ),
  id: latinPool(
    "Putri, Ayu, Dewi, Siti, Rizky, Nabila, Intan, Rina, Sari, Maya, Aditya, Budi, Dimas, Fajar, Bayu, Galih",
    "Pratama, Saputra, Wijaya, Santoso, Kusuma, Hidayat, Nugroho, Lestari, Putra, Permata, Rahman, Setiawan, Utami, Siregar",
  ),
  in: latinPool(
    "Aarav, Vivaan, Aditya, Arjun, Rohan, Ishaan, Karan, Ananya, Diya, Priya, Saanvi, Aanya, Kavya, Neha, Riya, Sneha",
    "Sharma, Verma, Gupta, Patel, Singh, Kumar, Reddy, Iyer, Nair, Mehta, Kapoor, Joshi, Das, Rao, Malhotra, Chopra",
  ),
  ar: latinPool(
    "Omar, Ahmed, Khalid, Yousef, Mohammed, Saeed, Hamdan, Rashid, Fatima, Mariam, Aisha, Noor, Layla, Sara, Huda, Reem",
    "Al Mansoori, Al Hashimi, Al Nuaimi, Al Suwaidi, Al Shamsi, Al Ketbi, Al Dhaheri, Al Falasi, Haddad, Khoury, Nasser, Saleh, Karim, Farouk",
  ),
  ng: latinPool(
    "Chidi, Emeka, Tunde, Seun, Femi, Kelechi, Tobi, Dayo, Ngozi, Amaka, Chiamaka, Funke, Yetunde, Bisi, Ifeoma, Zainab",
    "Okafor, Adeyemi, Okonkwo, Balogun, Eze, Olawale, Nwosu, Adebayo, Ogunleye, Ibrahim, Bello, Obi, Afolabi, Chukwu",
  ),
  ph: latinPool(
    "Maria, Angelica, Kristine, Andrea, Patricia, Nicole, Bea, Jasmine, Isabel, Janella, Paolo, Miguel, Joshua, Carlo, Gabriel, Rafael",
    "Santos, Reyes, Cruz, Bautista, Garcia, Mendoza, Del Rosario, Villanueva, Ramos, Aquino, Castillo, Dela Cruz, Navarro, Tolentino",
  ),
  za: latinPool(
    "Thandi, Lerato, Naledi, Zanele, Ayanda, Jessica, Megan, Sipho, Thabo, Lwazi, Kagiso, Bongani, Ruan, Pieter",
    "Nkosi, Dlamini, Ndlovu, Khumalo, Mokoena, Mahlangu, van der Merwe, Botha, Naidoo, Pillay, Jacobs, Mthembu, Molefe, Smith",
  ),
};

/**
 * Persona names some creators use instead of their own ("Maya Eats"), English only. Keyed by category.
 */
export const PERSONA_SUFFIX: Readonly<Record<Category, string>> = {
  BEAUTY: "Beauty", FASHION: "Style", FITNESS: "Fit", FOOD: "Eats", TRAVEL: "Travels", GAMING: "Plays", TECH: "Tech",
  MUSIC: "Music", SPORTS: "Sports", PARENTING: "Parents", FINANCE: "Money", EDUCATION: "Explains", HOME: "at Home",
  PETS: "& Friends", AUTOMOTIVE: "Drives", HEALTH: "Wellness", COMEDY: "Laughs", LIFESTYLE: "Daily",
};

/** One word per category in each locale: used in bios and captions, and as a local hashtag. */
export const CATEGORY_WORDS: Readonly<Record<Locale, Readonly<Record<Category, string>>>> = {
  en: { BEAUTY: "beauty", FASHION: "fashion", FITNESS: "fitness", FOOD: "food", TRAVEL: "travel", GAMING: "gaming",
    TECH: "tech", MUSIC: "music", SPORTS: "sports", PARENTING: "parenting", FINANCE: "finance", EDUCATION: "learning",
    HOME: "home", PETS: "pets", AUTOMOTIVE: "cars", HEALTH: "wellness", COMEDY: "comedy", LIFESTYLE: "lifestyle" },
  es: { BEAUTY: "belleza", FASHION: "moda", FITNESS: "fitness", FOOD: "comida", TRAVEL: "viajes", GAMING: "videojuegos",
    TECH: "tecnología", MUSIC: "música", SPORTS: "deportes", PARENTING: "crianza", FINANCE: "finanzas",
    EDUCATION: "educación", HOME: "hogar", PETS: "mascotas", AUTOMOTIVE: "motor", HEALTH: "salud", COMEDY: "humor",
    LIFESTYLE: "lifestyle" },
  pt: { BEAUTY: "beleza", FASHION: "moda", FITNESS: "fitness", FOOD: "culinária", TRAVEL: "viagem", GAMING: "games",
    TECH: "tecnologia", MUSIC: "música", SPORTS: "esportes", PARENTING: "maternidade", FINANCE: "finanças",
    EDUCATION: "educação", HOME: "decoração", PETS: "pets", AUTOMOTIVE: "carros", HEALTH: "saúde", COMEDY: "humor",
    LIFESTYLE: "lifestyle" },
  fr: { BEAUTY: "beauté", FASHION: "mode", FITNESS: "fitness", FOOD: "cuisine", TRAVEL: "voyage", GAMING: "gaming",
    TECH: "tech", MUSIC: "musique", SPORTS: "sport", PARENTING: "parentalité", FINANCE: "finance",
    EDUCATION: "éducation", HOME: "déco", PETS: "animaux", AUTOMOTIVE: "auto", HEALTH: "santé", COMEDY: "humour",
    LIFESTYLE: "lifestyle" },
  de: { BEAUTY: "Beauty", FASHION: "Mode", FITNESS: "Fitness", FOOD: "Food", TRAVEL: "Reisen", GAMING: "Gaming",
    TECH: "Technik", MUSIC: "Musik", SPORTS: "Sport", PARENTING: "Familie", FINANCE: "Finanzen", EDUCATION: "Bildung",
    HOME: "Wohnen", PETS: "Haustiere", AUTOMOTIVE: "Autos", HEALTH: "Gesundheit", COMEDY: "Comedy",
    LIFESTYLE: "Lifestyle" },
  it: { BEAUTY: "bellezza", FASHION: "moda", FITNESS: "fitness", FOOD: "cucina", TRAVEL: "viaggi", GAMING: "gaming",
    TECH: "tecnologia", MUSIC: "musica", SPORTS: "sport", PARENTING: "genitorialità", FINANCE: "finanza",
    EDUCATION: "formazione", HOME: "casa", PETS: "animali", AUTOMOTIVE: "motori", HEALTH: "salute",
    COMEDY: "comicità", LIFESTYLE: "lifestyle" },
  ja: { BEAUTY: "美容", FASHION: "ファッション", FITNESS: "フィットネス", FOOD: "グルメ", TRAVEL: "旅行", GAMING: "ゲーム",
    TECH: "ガジェット", MUSIC: "音楽", SPORTS: "スポーツ", PARENTING: "子育て", FINANCE: "お金", EDUCATION: "勉強",
    HOME: "インテリア", PETS: "ペット", AUTOMOTIVE: "車", HEALTH: "健康", COMEDY: "お笑い", LIFESTYLE: "暮らし" },
  ko: { BEAUTY: "뷰티", FASHION: "패션", FITNESS: "운동", FOOD: "맛집", TRAVEL: "여행", GAMING: "게임", TECH: "테크",
    MUSIC: "음악", SPORTS: "스포츠", PARENTING: "육아", FINANCE: "재테크", EDUCATION: "공부", HOME: "인테리어",
    PETS: "반려동물", AUTOMOTIVE: "자동차", HEALTH: "건강", COMEDY: "코미디", LIFESTYLE: "일상" },
  zhHans: { BEAUTY: "美妆", FASHION: "穿搭", FITNESS: "健身", FOOD: "美食", TRAVEL: "旅行", GAMING: "游戏", TECH: "数码",
    MUSIC: "音乐", SPORTS: "运动", PARENTING: "育儿", FINANCE: "理财", EDUCATION: "学习", HOME: "家居", PETS: "萌宠",
    AUTOMOTIVE: "汽车", HEALTH: "健康", COMEDY: "搞笑", LIFESTYLE: "生活" },
  zhHant: { BEAUTY: "美妝", FASHION: "穿搭", FITNESS: "健身", FOOD: "美食", TRAVEL: "旅行", GAMING: "遊戲", TECH: "3C",
    MUSIC: "音樂", SPORTS: "運動", PARENTING: "育兒", FINANCE: "理財", EDUCATION: "學習", HOME: "居家", PETS: "毛孩",
    AUTOMOTIVE: "汽車", HEALTH: "健康", COMEDY: "搞笑", LIFESTYLE: "生活" },
  id: { BEAUTY: "kecantikan", FASHION: "fashion", FITNESS: "fitness", FOOD: "kuliner", TRAVEL: "traveling",
    GAMING: "gaming", TECH: "teknologi", MUSIC: "musik", SPORTS: "olahraga", PARENTING: "parenting",
    FINANCE: "keuangan", EDUCATION: "edukasi", HOME: "rumah", PETS: "hewan", AUTOMOTIVE: "otomotif",
    HEALTH: "kesehatan", COMEDY: "komedi", LIFESTYLE: "lifestyle" },
  ar: { BEAUTY: "جمال", FASHION: "موضة", FITNESS: "لياقة", FOOD: "طبخ", TRAVEL: "سفر", GAMING: "ألعاب", TECH: "تقنية",
    MUSIC: "موسيقى", SPORTS: "رياضة", PARENTING: "أمومة", FINANCE: "مال", EDUCATION: "تعليم", HOME: "ديكور",
    PETS: "حيوانات", AUTOMOTIVE: "سيارات", HEALTH: "صحة", COMEDY: "كوميديا", LIFESTYLE: "يوميات" },
  hi: { BEAUTY: "ब्यूटी", FASHION: "फैशन", FITNESS: "फिटनेस", FOOD: "खाना", TRAVEL: "यात्रा", GAMING: "गेमिंग", TECH: "टेक",
    MUSIC: "संगीत", SPORTS: "खेल", PARENTING: "पेरेंटिंग", FINANCE: "फाइनेंस", EDUCATION: "शिक्षा", HOME: "घर",
    PETS: "पालतू", AUTOMOTIVE: "कार", HEALTH: "सेहत", COMEDY: "कॉमेडी", LIFESTYLE: "लाइफस्टाइल" },
};

/** How a locale joins a list of topics in a bio. */
export const TOPIC_SEPARATOR: Readonly<Record<Locale, string>> = {
  en: " · ", es: " · ", pt: " · ", fr: " · ", de: " · ", it: " · ", ja: "・", ko: " · ", zhHans: "·", zhHant: "·",
  id: " · ", ar: " · ", hi: " · ",
};

/** Bio templates: {topics} (all categories), {topic} (the first), {city}, {emoji}. */
export const BIO_TEMPLATES: Readonly<Record<Locale, readonly string[]>> = {
  en: ["{emoji} {topics} | {city}", "Sharing my {topic} life from {city} {emoji}",
    "{topics} creator based in {city}. DMs open for collabs."],
  es: ["{emoji} {topics} | {city}", "Comparto mi día a día de {topic} desde {city} {emoji}",
    "Contenido de {topics} desde {city}. Colaboraciones por DM."],
  pt: ["{emoji} {topics} | {city}", "Compartilhando {topic} direto de {city} {emoji}",
    "Conteúdo de {topics} em {city}. Parcerias via DM."],
  fr: ["{emoji} {topics} | {city}", "Passion {topic} depuis {city} {emoji}", "Contenu {topics} à {city}. Collabs en DM."],
  de: ["{emoji} {topics} | {city}", "{topic} aus {city} {emoji}", "Content zu {topics} aus {city}. Kooperationen per DM."],
  it: ["{emoji} {topics} | {city}", "Passione {topic} da {city} {emoji}",
    "Contenuti di {topics} da {city}. Collaborazioni in DM."],
  ja: ["{emoji} {topics}｜{city}", "{city}在住。{topic}について発信しています{emoji}",
    "{topics}の情報をお届け。お仕事のご依頼はDMまで。"],
  ko: ["{emoji} {topics} | {city}", "{city}에서 {topic} 이야기를 나눠요 {emoji}", "{topics} 크리에이터. 협업 문의는 DM 주세요."],
  zhHans: ["{emoji} {topics}｜{city}", "坐标{city}，分享{topic}日常{emoji}", "{topics}博主，合作请私信。"],
  zhHant: ["{emoji} {topics}｜{city}", "在{city}分享{topic}日常{emoji}", "{topics}創作者，合作請私訊。"],
  id: ["{emoji} {topics} | {city}", "Berbagi cerita {topic} dari {city} {emoji}",
    "Konten {topics} dari {city}. Kerja sama via DM."],
  ar: ["{emoji} {topics} | {city}", "أشارككم يومياتي في {topic} من {city} {emoji}",
    "محتوى {topics} من {city}. للتعاون عبر الرسائل الخاصة."],
  hi: ["{emoji} {topics} | {city}", "{city} से {topic} की बातें {emoji}", "{topics} कंटेंट। कोलैब के लिए DM करें।"],
};

/** Caption templates: {topic}, {city}, {emoji}. Hashtags are appended by the generator. */
export const CAPTION_TEMPLATES: Readonly<Record<Locale, readonly string[]>> = {
  en: ["New {topic} post is up {emoji}", "A little {topic} inspiration for your week {emoji}",
    "Things I'm loving lately: {topic} edition {emoji}", "Saturday in {city} {emoji}",
    "Tell me in the comments what {topic} content you want next {emoji}"],
  es: ["Nuevo post de {topic} {emoji}", "Un poco de inspiración de {topic} para tu semana {emoji}",
    "Lo que más me gusta últimamente: edición {topic} {emoji}", "Sábado en {city} {emoji}",
    "¿Qué contenido de {topic} quieren ver? Cuéntenme en los comentarios {emoji}"],
  pt: ["Post novo de {topic} no ar {emoji}", "Um pouco de inspiração de {topic} para a sua semana {emoji}",
    "Meus favoritos do momento: edição {topic} {emoji}", "Sábado em {city} {emoji}",
    "Contem nos comentários que conteúdo de {topic} vocês querem ver {emoji}"],
  fr: ["Nouveau post {topic} {emoji}", "Un peu d'inspiration {topic} pour votre semaine {emoji}",
    "Mes coups de cœur du moment, spécial {topic} {emoji}", "Samedi à {city} {emoji}",
    "Dites-moi en commentaire quel contenu {topic} vous voulez voir {emoji}"],
  de: ["Neuer {topic}-Post ist online {emoji}", "Ein bisschen {topic}-Inspiration für eure Woche {emoji}",
    "Meine aktuellen Favoriten: {topic} {emoji}", "Samstag in {city} {emoji}",
    "Schreibt mir in die Kommentare, welchen {topic}-Content ihr sehen wollt {emoji}"],
  it: ["Nuovo post di {topic} {emoji}", "Un po' di ispirazione {topic} per la vostra settimana {emoji}",
    "I miei preferiti del momento: {topic} {emoji}", "Sabato a {city} {emoji}",
    "Scrivetemi nei commenti che contenuti di {topic} volete vedere {emoji}"],
  ja: ["{topic}の新しい投稿です{emoji}", "今週の{topic}インスピレーション{emoji}", "最近のお気に入り【{topic}編】{emoji}",
    "{city}での週末{emoji}", "次に見たい{topic}のコンテンツをコメントで教えてください{emoji}"],
  ko: ["새로운 {topic} 게시물 {emoji}", "이번 주 {topic} 영감 {emoji}", "요즘 빠진 {topic} 아이템 {emoji}",
    "{city}에서 보낸 주말 {emoji}", "다음에 보고 싶은 {topic} 콘텐츠를 댓글로 알려주세요 {emoji}"],
  zhHans: ["新的{topic}分享来啦{emoji}", "本周{topic}灵感{emoji}", "最近爱用的{topic}好物{emoji}", "{city}的周末{emoji}",
    "评论区告诉我你还想看什么{topic}内容{emoji}"],
  zhHant: ["新的{topic}分享來囉{emoji}", "本週{topic}靈感{emoji}", "最近愛用的{topic}好物{emoji}", "{city}的週末{emoji}",
    "留言告訴我你還想看什麼{topic}內容{emoji}"],
  id: ["Postingan {topic} baru {emoji}", "Sedikit inspirasi {topic} untuk minggu ini {emoji}",
    "Favoritku akhir-akhir ini: edisi {topic} {emoji}", "Akhir pekan di {city} {emoji}",
    "Kasih tahu di kolom komentar, konten {topic} apa yang mau kalian lihat {emoji}"],
  ar: ["منشور جديد عن {topic} {emoji}", "القليل من الإلهام في {topic} لأسبوعكم {emoji}", "مفضلاتي هذه الأيام في {topic} {emoji}",
    "عطلة نهاية الأسبوع في {city} {emoji}", "أخبروني في التعليقات ما المحتوى الذي تريدون رؤيته عن {topic} {emoji}"],
  hi: ["{topic} पर नई पोस्ट {emoji}", "इस हफ़्ते के लिए थोड़ी {topic} प्रेरणा {emoji}", "आजकल के मेरे पसंदीदा: {topic} {emoji}",
    "{city} में वीकेंड {emoji}", "कमेंट में बताइए, {topic} पर आगे क्या देखना चाहेंगे {emoji}"],
};

export const CATEGORY_EMOJI: Readonly<Record<Category, string>> = {
  BEAUTY: "💄", FASHION: "👗", FITNESS: "💪", FOOD: "🍜", TRAVEL: "✈️", GAMING: "🎮", TECH: "💻", MUSIC: "🎵",
  SPORTS: "⚽", PARENTING: "👶", FINANCE: "💸", EDUCATION: "📚", HOME: "🏡", PETS: "🐶", AUTOMOTIVE: "🚗",
  HEALTH: "🌿", COMEDY: "😂", LIFESTYLE: "☀️",
};

/** Widely used (English) hashtags per category, lower case, without the '#'. */
export const CATEGORY_HASHTAGS: Readonly<Record<Category, readonly string[]>> = {
  BEAUTY: ["beauty", "skincare", "makeup", "skincareroutine", "makeuptutorial", "glowup"],
  FASHION: ["fashion", "ootd", "style", "outfitinspo", "streetstyle", "fashionblogger"],
  FITNESS: ["fitness", "workout", "gym", "fitnessmotivation", "homeworkout", "running"],
  FOOD: ["food", "foodie", "recipe", "homecooking", "foodporn", "easyrecipes"],
  TRAVEL: ["travel", "wanderlust", "travelgram", "traveltips", "roadtrip", "explore"],
  GAMING: ["gaming", "gamer", "twitchstreamer", "videogames", "esports", "letsplay"],
  TECH: ["tech", "gadgets", "unboxing", "smartphone", "techreview", "setup"],
  MUSIC: ["music", "newmusic", "cover", "singer", "producer", "livemusic"],
  SPORTS: ["sports", "football", "basketball", "training", "matchday", "athlete"],
  PARENTING: ["parenting", "momlife", "dadlife", "familytime", "toddlerlife", "parentingtips"],
  FINANCE: ["finance", "personalfinance", "investing", "moneytips", "budgeting", "financialfreedom"],
  EDUCATION: ["education", "studytips", "learnontiktok", "studygram", "languagelearning", "science"],
  HOME: ["homedecor", "interiordesign", "homeinspo", "diy", "organization", "cleantok"],
  PETS: ["pets", "dogsofinstagram", "catsofinstagram", "puppy", "petlife", "adoptdontshop"],
  AUTOMOTIVE: ["cars", "carsofinstagram", "automotive", "carreview", "ev", "supercars"],
  HEALTH: ["health", "wellness", "mentalhealth", "selfcare", "nutrition", "healthyliving"],
  COMEDY: ["comedy", "funny", "memes", "sketch", "standup", "lol"],
  LIFESTYLE: ["lifestyle", "dayinmylife", "vlog", "aesthetic", "morningroutine", "weekendvibes"],
};

/** Categories whose audiences overlap (interest audiences spill over). */
export const RELATED_CATEGORIES: Readonly<Record<Category, readonly Category[]>> = {
  BEAUTY: ["FASHION", "LIFESTYLE", "HEALTH"], FASHION: ["BEAUTY", "LIFESTYLE", "TRAVEL"],
  FITNESS: ["HEALTH", "SPORTS", "FOOD"], FOOD: ["TRAVEL", "HEALTH", "LIFESTYLE"], TRAVEL: ["FOOD", "LIFESTYLE", "FASHION"],
  GAMING: ["TECH", "COMEDY", "MUSIC"], TECH: ["GAMING", "EDUCATION", "AUTOMOTIVE"], MUSIC: ["COMEDY", "LIFESTYLE", "GAMING"],
  SPORTS: ["FITNESS", "HEALTH", "AUTOMOTIVE"], PARENTING: ["HOME", "FOOD", "EDUCATION"],
  FINANCE: ["EDUCATION", "TECH", "LIFESTYLE"], EDUCATION: ["TECH", "FINANCE", "PARENTING"],
  HOME: ["PARENTING", "LIFESTYLE", "FOOD"], PETS: ["LIFESTYLE", "COMEDY", "HOME"], AUTOMOTIVE: ["TECH", "SPORTS", "TRAVEL"],
  HEALTH: ["FITNESS", "FOOD", "BEAUTY"], COMEDY: ["MUSIC", "GAMING", "LIFESTYLE"], LIFESTYLE: ["FASHION", "TRAVEL", "FOOD"],
};

/** Relative popularity of categories among creators (a demo assumption: lifestyle/beauty/fashion lead). */
export const CATEGORY_WEIGHTS: Readonly<Record<Category, number>> = {
  BEAUTY: 9, FASHION: 9, FITNESS: 7, FOOD: 8, TRAVEL: 7, GAMING: 7, TECH: 5, MUSIC: 6, SPORTS: 5, PARENTING: 4,
  FINANCE: 3, EDUCATION: 4, HOME: 4, PETS: 4, AUTOMOTIVE: 2, HEALTH: 5, COMEDY: 6, LIFESTYLE: 10,
};
