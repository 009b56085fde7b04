// Name lists for the contacts benchmark's seed data: a few hundred first and last names from
// many languages, with accents and mixed case, so search, folding and sorting see realistic text.

/** A comma-separated list (line breaks allowed) of each group, joined and deduplicated. */
function names(...groups: string[]): readonly string[] {
  const all = groups.flatMap((group) => group.split(",").map((name) => name.trim()));
  return [...new Set(all.filter((name) => name.length > 0))];
}

export const FIRST_NAMES: readonly string[] = names(
  // English
  `
    James, Mary, John, Patricia, Robert, Jennifer, Michael, Linda, William, Elizabeth, David,
    Barbara, Richard, Susan, Joseph, Jessica, Thomas, Sarah, Charles, Karen, Christopher,
    Nancy, Daniel, Lisa, Matthew, Betty, Anthony, Margaret, Mark, Sandra, Donald, Ashley,
    Steven, Kimberly, Paul, Emily, Andrew, Donna, Joshua, Michelle, Kenneth, Dorothy, Kevin,
    Carol, Brian, Amanda, George, Melissa, Edward, Deborah, Ronald, Stephanie, Timothy,
    Rebecca, Jason, Laura, Jeffrey, Sharon, Ryan, Cynthia, Jacob, Kathleen, Gary, Amy,
    Nicholas, Shirley, Eric, Angela, Jonathan, Helen, Stephen, Anna, Larry, Brenda, Justin,
    Pamela, Scott, Nicole, Brandon, Samantha, Benjamin, Katherine, Samuel, Emma, Gregory, Ruth,
    Frank, Christine, Alexander, Catherine, Raymond, Debra, Patrick, Rachel, Jack, Carolyn,
    Dennis, Janet, Jerry, Virginia, Tyler, Maria, Aaron, Heather, Olivia, Sophia, Isabella,
    Mia, Charlotte, Amelia, Harper, Evelyn, Abigail, Ella, Scarlett, Grace, Chloe, Victoria,
    Riley, Aria, Lily, Aubrey, Zoey, Penelope, Lillian, Addison, Layla, Natalie, Camila,
    Hannah, Brooklyn, Zoë, DeShawn, LaToya, DeAndre, JaMarcus, McKenzie, MaryBeth, JoAnne,
    LeAnn
  `,
  // Spanish, Portuguese, Italian
  `
    José, María, Jesús, Lucía, Sofía, Martín, Andrés, Inés, Raúl, Ángel, Álvaro, Adrián, Iván,
    Rubén, Óscar, Julián, Ramón, Begoña, Nuria, Pilar, Rocío, Mónica, Verónica, Beatriz,
    Concepción, Joaquín, Sebastián, Valentina, Ximena, Camilo, João, Conceição, Gonçalo, Luís,
    Antônio, Thiago, Letícia, Vitória, Débora, Márcia, Giuseppe, Giovanni, Francesca, Chiara,
    Niccolò, Lorenzo, Alessandro, Giulia, Matteo, Federica, Nicolò, Ludovica
  `,
  // French
  `
    Émilie, Hélène, Chloé, Léa, Zoé, Élodie, Mathéo, Noémie, Jérôme, Benoît, François,
    Geneviève, Amélie, Anaïs, Gaëlle, Maëlle, Loïc, Joël, Raphaël, Cécile, Aurélie, Clément,
    Théo, Séverine, Thérèse, Jean-Pierre, Marie-Claire, Anne-Sophie, Jean-Luc, Pierre
  `,
  // German, Dutch, Nordic
  `
    Jürgen, Jörg, Günter, Björn, Sören, Søren, Åsa, Maximilian, Lukas, Leonie, Lena,
    Katharina, Mathilde, Friedrich, Anneliese, Käthe, Uwe, Dörte, Sven, Ingrid, Astrid, Sigrún,
    Björk, Þóra, Ásgeir, Eiríkur, Freyja, Linnéa, Elin, Maja, Johanna, Pieter, Sanne, Joost,
    Femke, Bram, Daan, Annelies, Mette, Rasmus, Kirsten, Jens, Aino, Eetu, Päivi, Jyrki
  `,
  // Central and Eastern European
  `
    Łukasz, Paweł, Michał, Małgorzata, Agnieszka, Wojciech, Zofia, Kasia, Grzegorz, Jędrzej,
    Bożena, Stanisław, Tomáš, Jiří, Lucie, Petra, Věra, Dušan, Miloš, Ivana, Zoltán, Réka,
    Ágnes, Gábor, Dóra, Ştefan, Ioana, Andreea, Mihai, Dmitri, Olga, Natalia, Oksana, Yaroslav,
    Katya, Anastasia
  `,
  // Turkish, Greek, Middle East
  `
    Ümit, Çağla, Gökhan, Şebnem, Özge, İlker, Ayşe, Mehmet, Elif, Emre, Nikos, Eleni, Dimitra,
    Yiannis, Ahmed, Fatima, Omar, Yusuf, Noor, Karim, Zeynep, Hassan, Leila, Amir,
    Yasmin, Tariq, Rania
  `,
  // South and East Asia
  `
    Priya, Rahul, Ananya, Arjun, Aditi, Vikram, Deepika, Sanjay, Kavya, Rohan, Meera, Aarav,
    Saanvi, Thảo, Minh, Hương, Phương, Quang, Hoa, Wei, Jing, Xiaoming, Mei, Li, Hao,
    Yuki, Haruto, Sakura, Hiroshi, Ren, Aiko, Kenji, Yūko, Shōta, Ji-woo, Min-jun, Seo-yeon,
    Hye-jin
  `,
  // African
  `
    Chidi, Ngozi, Oluwaseun, Adaeze, Kwame, Ama, Kofi, Abena, Thandiwe, Sipho, Zanele, Tendai,
    Wanjiru, Njeri, Amara, Chiamaka, Babajide, Folake
  `,
  // Other
  `
    Aoife, Siobhán, Niamh, Saoirse, Seán, Pádraig, Eoghan, Caoimhe, Ciarán, Mīkaere, Aroha,
    Keanu, Leilani, Kai, Malia
  `,
);

export const LAST_NAMES: readonly string[] = names(
  // English
  `
    Smith, Johnson, Williams, Brown, Jones, Miller, Davis, Wilson, Anderson, Taylor, Thomas,
    Moore, Jackson, Martin, Lee, Thompson, White, Harris, Clark, Lewis, Robinson, Walker,
    Young, Allen, King, Wright, Scott, Hill, Green, Adams, Baker, Nelson, Carter, Mitchell,
    Roberts, Turner, Phillips, Campbell, Parker, Evans, Edwards, Collins, Stewart, Morris,
    Murphy, Cook, Rogers, Morgan, Cooper, Peterson, Reed, Bailey, Bell, Kelly, Howard, Ward,
    Cox, Richardson, Wood, Watson, Brooks, Bennett, Gray, James, Hughes, Price, Sanders, Myers,
    Long, Ross, Foster, Powell, Jenkins, Perry, Russell, Sullivan, Fisher, Henderson, Coleman,
    Simmons, Patterson, Jordan, Reynolds, Hamilton, Graham, Wallace, Woods, Cole, West, Owens,
    Marshall, Ellis, McDonald, McArthur, MacLeod, McKenzie, MacDougall, O'Brien, O'Connor,
    O'Neill, O'Sullivan, D'Angelo, DiMaggio, DeLuca, LeBlanc, LaFleur, DuBois, FitzGerald,
    St. John, Smith-Jones, Baker-Williams
  `,
  // Spanish, Portuguese, Italian
  `
    García, Rodríguez, Martínez, Hernández, López, González, Pérez, Sánchez, Ramírez, Gómez,
    Díaz, Fernández, Álvarez, Jiménez, Muñoz, Romero, Núñez, Gutiérrez, Ortiz, Castillo,
    Vázquez, Domínguez, Suárez, Méndez, Ibáñez, Peña, Cortés, Marín, Rubio, Herrera, Cruz,
    de la Cruz, del Río, de León, da Silva, dos Santos, Gonçalves, Araújo, Magalhães,
    Conceição, Simões, Guimarães, Brandão, Falcão, Rossi, Russo, Ferrari, Esposito, Bianchi,
    Romano, Colombo, Ricci, Marino, Greco, Bruno, Gallo, Conti, De Santis, Mancini, Lombardi,
    Moretti, Barbieri, Fontana
  `,
  // French
  `
    Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau, Simon,
    Laurent, Lefèvre, Michel, Garnier, Faure, Rousseau, Mercier, Girard, Bonnet, Dupont,
    Lambert, Fontaine, Chevalier, Bérénger, Lefébure, Gauthier, Perrin, Brunet, Renaud,
    Deschênes, Thériault, Bélanger, Côté, Gagné, Lévesque, Pelletier
  `,
  // German, Dutch, Nordic
  `
    Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann,
    Schäfer, Koch, Bauer, Richter, Klein, Wolf, Schröder, Neumann, Schwarz, Zimmermann, Braun,
    Krüger, Hofmann, Hartmann, Lange, Köhler, Jäger, Groß, Weiß, Böhm, von Bülow, van der Berg,
    van Dijk, de Vries, van den Broek, Jansen, de Jong, Bakker, Visser, Smit, Meijer, de Groot,
    Mulder, Bos, Vos, Peters, Hendriks, Dekker, Andersson, Johansson, Karlsson, Nilsson,
    Eriksson, Larsson, Olsson, Persson, Svensson, Gustafsson, Lindqvist, Åberg, Öberg,
    Ångström, Sjöberg, Hansen, Jensen, Nielsen, Pedersen, Kristiansen, Sørensen, Jørgensen,
    Møller, Ødegård, Halvorsen, Korhonen, Virtanen, Mäkinen, Nieminen, Mäkelä, Hämäläinen,
    Jónsson, Sigurðardóttir, Guðmundsson, Þórsson
  `,
  // Central and Eastern European
  `
    Nowak, Kowalski, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski, Zieliński,
    Szymański, Woźniak, Dąbrowski, Kozłowski, Jankowski, Mazur, Krawczyk, Piotrowski,
    Grabowski, Zając, Król, Nováková, Novák, Svoboda, Dvořák, Černý, Procházka, Kučera, Veselý,
    Horáková, Němec, Pokorný, Nagy, Kovács, Tóth, Szabó, Horváth, Varga, Kiss, Molnár, Németh,
    Farkas, Popescu, Ionescu, Dumitrescu, Stănescu, Constantinescu, Ivanov, Petrova, Smirnov,
    Kuznetsova, Popov, Volkov, Sokolova, Shevchenko, Kovalenko, Bondarenko, Horvat, Kovačević,
    Babić, Marić, Jurić, Novaković, Petrović, Jovanović
  `,
  // Turkish, Greek, Middle East
  `
    Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Yıldırım, Öztürk, Aydın, Özdemir, Arslan, Doğan,
    Kılıç, Aslan, Çetin, Papadopoulos, Papadakis, Georgiou, Nikolaidis, Konstantinou,
    Karagiannis, Haddad, Khalil, Hassan, Ibrahim, Mansour, Nasser, Saleh, Farouk, Al-Amin,
    El-Sayed, Abdullah, Rahman, Karimi, Hosseini, Rezaei, Mohammadi, Cohen, Levi, Mizrahi
  `,
  // South and East Asia
  `
    Patel, Sharma, Singh, Kumar, Gupta, Reddy, Iyer, Nair, Menon, Das, Banerjee, Chatterjee,
    Mukherjee, Joshi, Desai, Mehta, Kapoor, Malhotra, Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Võ,
    Đặng, Bùi, Đỗ, Ngô, Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Xu, Sun, Lin,
    Tanaka, Suzuki, Takahashi, Watanabe, Itō, Yamamoto, Nakamura, Kobayashi, Katō, Yoshida,
    Yamada, Sasaki, Saitō, Kim, Park, Choi, Jung, Kang, Cho, Yoon, Jang, Lim, Han
  `,
  // African
  `
    Okafor, Okeke, Adeyemi, Oyelaran, Balogun, Nwosu, Eze, Mensah, Asante, Owusu, Boateng,
    Osei, Nkosi, Dlamini, Ndlovu, Mokoena, Kamau, Otieno, Mwangi, Njoroge, Haile, Tesfaye,
    Diallo, Traoré, Diop, N'Diaye, Keïta
  `,
  // Celtic and Pacific
  `
    Ó Súilleabháin, Mac Giolla, Ní Bhriain, Ó Conchúir, Kealoha, Kahananui, Ngata, Te Rangi,
    Tūhoe
  `,
);

/**
 * Surnames given to a handful of contacts per user only (the benchmark's selective search
 * term is the first of them). None of them is a substring of a common name or email.
 */
export const RARE_LAST_NAMES = [
  "Quattlebaum",
  "Wąsowicz-Ybarra",
  "Zwölfer",
  "Xiomaraquez",
  "Brzęczyszczykiewicz",
  "Fjellheim-Oyarzún",
  "Vanterpoolé",
  "Okwuosa-Lindgren",
];

export const TAG_NAMES = [
  "VIP",
  "Yoga",
  "Pilates",
  "Nutrition",
  "Newsletter",
  "Referral",
  "Online",
  "In-person",
  "Retreat 2025",
  "Corporate",
  "Prenatal",
  "Seniors",
  "Athletes",
  "Trial class",
  "10-class pack",
  "Monthly plan",
  "Lapsed",
  "Workshop",
  "Meditation",
  "Coaching",
];

export const NOTE_BODIES = [
  "First session went well. Wants to work on lower-back mobility; follow up in two weeks.",
  "Prefers early morning classes. Mentioned a knee injury from running last year.",
  "Asked about the **10-class pack** and the retreat in spring. Send the brochure.",
  "Nutrition intake done: vegetarian, low energy in the afternoons, drinks little water.",
  "Referred by a friend from the Tuesday group. Interested in prenatal yoga.",
  "Paused membership while travelling; check in at the start of next month.",
  "Goals: sleep better, reduce stress at work. Suggested the evening meditation series.",
  "Paid for the workshop by bank transfer; invoice sent. Bring a mat next time.",
];

/** The name as the app folds it for sorting: lower case, accents removed. */
export function nameSortKey(name: string): string {
  return name.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

const ASCII_EXTRA: Record<string, string> = {
  ł: "l",
  ø: "o",
  đ: "d",
  ð: "d",
  þ: "th",
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ı: "i",
};

/** The name reduced to what an email address's local part would use: a-z and 0-9 only. */
export function emailLocalPart(name: string): string {
  return nameSortKey(name)
    .replace(/[^\p{ASCII}]/gu, (ch) => ASCII_EXTRA[ch] ?? "")
    .replace(/[^a-z0-9]/g, "");
}
