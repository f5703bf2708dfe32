/**
 * Known facts of the retrieval benchmark: each fact is one sentence placed in one section of the
 * generated folder; `twins` are same-domain near-duplicates (same frame, another day/place/value,
 * or the same name/number in another context) spread through the distractor text. A question's
 * answering chunk is the chunk that contains its fact sentence (`answer`).
 */
export type Lang = 'en' | 'ja';

export interface Fact {
  lang: Lang;
  heading: string;
  answer: string;
  twins: string[];
  /** [question, kind]; kind is what the question tests. */
  questions: Array<[string, QuestionKind]>;
  /** Questions in the other language (where names/numbers let a lexical or a multilingual match work). */
  cross?: Array<[string, QuestionKind]>;
}
export type QuestionKind = 'name' | 'number' | 'date' | 'paraphrase' | 'cross';

export const FACTS: Fact[] = [
  {
    lang: 'en', heading: 'Our tortoise',
    answer: 'The garden tortoise is called Shelly and she is 82 years old.',
    twins: ['The pond turtle is called Bramble and he is 14 years old.', 'Shelly Lane runs along the east side of the car park.', 'The oldest koi in the pond is 82 centimetres long.'],
    questions: [['What is the name of the tortoise?', 'name'], ['How old is the garden tortoise?', 'number']],
    cross: [['Shellyは何歳ですか？', 'cross']],
  },
  {
    lang: 'en', heading: 'Greenhouse hours',
    answer: 'On Tuesdays the greenhouse is open from 9:30 to 15:00.',
    twins: ['On Wednesdays the greenhouse is open from 10:00 to 17:00.', 'On Tuesdays the palm house is open from 8:00 to 12:00.', 'On Thursdays the greenhouse is open from 11:00 to 16:00.'],
    questions: [['What are the greenhouse hours on Tuesday?', 'paraphrase'], ['When can I visit the greenhouse on Tuesdays?', 'paraphrase']],
  },
  {
    lang: 'en', heading: 'Seed vault',
    answer: 'The curator of the seed vault is Dr. Amelia Okafor.',
    twins: ['The curator of the herbarium is Dr. Paul Weston.', 'Dr. Amelia Okafor gave a talk on orchids in the fern house.', 'The seed vault is cooled to minus 18 degrees.'],
    questions: [['Who is the curator of the seed vault?', 'name'], ['Which doctor looks after the seed vault as its curator?', 'paraphrase']],
    cross: [['Dr. Amelia Okaforの担当は何ですか？', 'cross']],
  },
  {
    lang: 'en', heading: 'Seed samples',
    answer: 'The seed vault holds 48,250 seed samples from 61 countries.',
    twins: ['The herbarium holds 12,400 pressed specimens from 35 countries.', 'The library holds 4,825 books on botany.', 'Volunteers collected 61 seed samples from the meadow last autumn.'],
    questions: [['How many seed samples does the seed vault hold?', 'number'], ['From how many countries do the seed vault samples come?', 'number']],
  },
  {
    lang: 'en', heading: 'Parking',
    answer: 'The main car park has 240 spaces, 12 of them for disabled visitors.',
    twins: ['The overflow car park has 90 spaces and opens on festival days.', 'The bicycle park has 240 racks near the west gate.', 'The coach park has 12 spaces for group buses.'],
    questions: [['How many spaces does the main car park have?', 'number'], ['How many disabled parking spaces are there in the main car park?', 'number']],
  },
  {
    lang: 'en', heading: 'Tickets',
    answer: 'An adult day ticket costs 800 yen and children under 15 enter free.',
    twins: ['A guided tour costs 500 yen per adult.', 'A senior day ticket costs 600 yen on weekdays.', 'The illustrated garden map costs 800 yen at the gift shop.'],
    questions: [['How much is an adult day ticket?', 'number'], ['Do children under 15 have to pay to enter?', 'paraphrase']],
  },
  {
    lang: 'en', heading: 'Closing days',
    answer: 'The garden is closed every Monday and from 29 December to 3 January.',
    twins: ['The greenhouse is closed every Friday morning for watering.', 'The café is closed from 24 December to 26 December.', 'The rose garden is closed every Monday in February for pruning.'],
    questions: [['On which day of the week is the garden closed?', 'date'], ['Is the garden closed around the New Year, from 29 December?', 'date']],
  },
  {
    lang: 'en', heading: 'Rose festival',
    answer: 'The rose festival takes place on 18 May 2025 in the rose garden.',
    twins: ['The iris festival takes place on 8 June 2025 by the pond.', 'In 2024 the rose festival took place on 19 May and drew large crowds.', 'The rose garden was replanted on 18 March 2023.'],
    questions: [['When is the rose festival in 2025?', 'date'], ['On what date is the rose festival held this year?', 'date']],
  },
  {
    lang: 'en', heading: 'Wi-Fi',
    answer: 'The visitor Wi-Fi network is MidoriGuest and its password is fern2025.',
    twins: ['The staff Wi-Fi network is reserved for employees.', 'The fern2024 exhibition catalogue is sold out.', 'Visitor numbers rose when the Wi-Fi was extended to the café.'],
    questions: [['What is the password for the visitor Wi-Fi?', 'name'], ['What is the name of the guest wifi network?', 'paraphrase']],
  },
  {
    lang: 'en', heading: 'Lost property',
    answer: 'Lost property is kept at the north gate office for 30 days.',
    twins: ['Umbrellas can be borrowed at the north gate office.', 'Compost is kept at the south yard for 30 weeks.', 'Lost children are taken to the information desk at the main entrance.'],
    questions: [['Where is lost property kept?', 'paraphrase'], ['How many days is lost property held?', 'number']],
  },
  {
    lang: 'en', heading: 'Dogs',
    answer: 'Dogs are allowed on a lead in the outer gardens but not in the greenhouses.',
    twins: ['Bicycles are allowed in the car park but not in the gardens.', 'Picnics are allowed on the great lawn but not in the rose garden.', 'Assistance dogs are welcome everywhere.'],
    questions: [['Can I bring my dog into the greenhouses?', 'paraphrase'], ['Are dogs allowed in the outer gardens?', 'paraphrase']],
  },
  {
    lang: 'en', heading: 'Lotus Café',
    answer: 'The Lotus Café serves lunch from 11:30 to 14:00 and closes at 16:30.',
    twins: ['The Bamboo Kiosk serves ice cream from 10:00 to 17:00.', 'The Lotus Pond is drained every November.', 'The tea room serves lunch from 12:00 to 14:30 on weekends.'],
    questions: [['When does the Lotus Café serve lunch?', 'paraphrase'], ['What time does the Lotus Café close?', 'name']],
  },
  {
    lang: 'en', heading: 'Bonsai collection',
    answer: 'The oldest bonsai in the collection is a 350-year-old Japanese white pine.',
    twins: ['The tallest tree in the garden is a 40-metre giant redwood.', 'The bonsai collection was donated in 1987.', 'A 350-page guide to the collection is sold at the gift shop.'],
    questions: [['How old is the oldest bonsai?', 'number'], ['What kind of tree is the oldest bonsai in the collection?', 'paraphrase']],
  },
  {
    lang: 'en', heading: 'Wheelchairs',
    answer: 'Two wheelchairs can be borrowed free of charge at the main entrance.',
    twins: ['Strollers can be rented for 200 yen at the west gate.', 'Two electric buggies drive visitors around the lake.', 'Wheelchair access to the greenhouse is by the ramp on its south side.'],
    questions: [['Can I borrow a wheelchair at the main entrance?', 'paraphrase'], ['How many wheelchairs can be borrowed?', 'number']],
  },
  {
    lang: 'en', heading: 'Head gardener',
    answer: 'The head gardener is Mr. Kenji Watanabe, who joined in 1998.',
    twins: ['The assistant gardener is Ms. Lucy Grant, who joined in 2015.', 'Mr. Kenji Watanabe will lead the autumn pruning workshop.', 'The Japanese garden was designed in 1998.'],
    questions: [['Who is the head gardener?', 'name'], ['In which year did the head gardener join?', 'date']],
    cross: [['Kenji Watanabeは何年に入りましたか？', 'cross']],
  },
  {
    lang: 'en', heading: 'Titan arum',
    answer: 'The titan arum last flowered on 3 August 2023 and drew 4,100 visitors in two days.',
    twins: ['The giant water lily flowered on 12 July 2023.', 'The titan arum is fed with compost every spring.', 'The summer concert drew 4,100 visitors to the great lawn.'],
    questions: [['When did the titan arum last flower?', 'date'], ['How many visitors came to see the titan arum in flower?', 'number']],
  },
  // ---------- Japanese ----------
  {
    lang: 'ja', heading: '年間パスポート',
    answer: '年間パスポートは3,000円で、購入日から1年間有効です。',
    twins: ['ペア年間パスポートは5,500円で、購入日から1年間有効です。', '回数券は3,000円で、5回入園できます。', '年間パスポートの更新は正門の窓口で受け付けます。'],
    questions: [['年間パスポートの値段はいくらですか？', 'number'], ['年間パスポートはいつまで使えますか？', 'paraphrase']],
  },
  {
    lang: 'ja', heading: '駐車場',
    answer: '駐車場は全部で120台分あり、そのうち4台は車いす用です。',
    twins: ['臨時駐車場は60台分あり、催しの日だけ開きます。', '駐輪場は120台分あり、西門の横にあります。', '大型バスの駐車場は4台分です。'],
    questions: [['駐車場は何台とめられますか？', 'number'], ['車いす用の駐車スペースはいくつありますか？', 'number']],
  },
  {
    lang: 'ja', heading: '開園時間',
    answer: '開園時間は午前9時から午後5時までで、入園は午後4時30分までです。',
    twins: ['夜間特別開園の時間は午後6時から午後9時までです。', '温室の公開時間は午前10時から午後4時までです。', '売店の営業は午前9時30分から午後4時30分までです。'],
    questions: [['植物園は何時から何時まで開いていますか？', 'paraphrase'], ['最後に入園できるのは何時ですか？', 'paraphrase']],
  },
  {
    lang: 'ja', heading: '温室の担当者',
    answer: '温室の担当者は植物学者の佐藤美咲さんです。',
    twins: ['バラ園の担当者は園芸家の高橋健さんです。', '佐藤美咲さんは春の講演会でシダについて話しました。', '温室の暖房は冬の間ずっと動いています。'],
    questions: [['温室の担当者は誰ですか？', 'name'], ['温室を担当している植物学者の名前を教えてください。', 'name']],
    cross: [['Who is 佐藤美咲?', 'cross']],
  },
  {
    lang: 'ja', heading: '桜まつり',
    answer: '桜まつりは2025年4月5日から4月13日まで開催されます。',
    twins: ['もみじまつりは2025年11月15日から11月24日まで開催されます。', '2024年の桜まつりは3月30日から4月7日まででした。', '桜の苗木は2025年の春に20本植えられます。'],
    questions: [['桜まつりはいつ開催されますか？', 'date'], ['2025年の桜まつりの最終日は何日ですか？', 'date']],
  },
  {
    lang: 'ja', heading: '種子バンク',
    answer: '種子バンクには約2万点の種子が保存されています。',
    twins: ['標本室には約1万2千点の押し葉標本が保存されています。', '種子バンクの見学は予約制です。', '図書室には約2千冊の植物の本があります。'],
    questions: [['種子バンクには種子が何点ありますか？', 'number'], ['種子バンクに保存されている種子の数は？', 'number']],
  },
  {
    lang: 'ja', heading: '園のカメ',
    answer: '園のカメの名前は「ハナコ」で、年齢は40歳です。',
    twins: ['池のコイの名前は「タロウ」で、年齢は12歳です。', 'ハナコ通りは東門から駅まで続きます。', '温室のサボテンは樹齢40年です。'],
    questions: [['園のカメの名前は何ですか？', 'name'], ['ハナコは何歳ですか？', 'number']],
  },
  {
    lang: 'ja', heading: '休園日',
    answer: '休園日は毎週月曜日と年末年始（12月29日から1月3日）です。',
    twins: ['温室は毎週金曜日の午前中に水やりのため閉まります。', 'カフェは12月24日から12月26日まで休みます。', 'バラ園は2月の毎週月曜日に剪定のため閉まります。'],
    questions: [['休園日はいつですか？', 'date'], ['年末年始は休園日ですか？', 'date']],
  },
  {
    lang: 'ja', heading: 'ペットの同伴',
    answer: 'ペットの同伴は補助犬を除きお断りしています。',
    twins: ['自転車の乗り入れは駐輪場を除きお断りしています。', '補助犬用の水飲み場は正門にあります。', 'ペットボトルは園内の売店で買えます。'],
    questions: [['ペットを連れて入園できますか？', 'paraphrase'], ['ペットの同伴はできますか？', 'paraphrase']],
  },
  {
    lang: 'ja', heading: 'レストラン',
    answer: 'レストラン「みどり亭」の営業時間は午前11時から午後3時までです。',
    twins: ['喫茶「はす」の営業時間は午前10時から午後4時までです。', 'みどり亭の名物は季節の野菜カレーです。', 'レストランの予約は電話で受け付けていません。'],
    questions: [['みどり亭は何時まで営業していますか？', 'number'], ['レストランみどり亭の営業時間を教えてください。', 'paraphrase']],
  },
  {
    lang: 'ja', heading: '団体割引',
    answer: '20名以上の団体は入園料が2割引になります。',
    twins: ['65歳以上の方は入園料が半額になります。', '団体の予約は2週間前までにお願いします。', '20名以上の講座は大ホールで行います。'],
    questions: [['団体割引は何人からですか？', 'number'], ['団体で行くと入園料はいくら安くなりますか？', 'paraphrase']],
  },
  {
    lang: 'ja', heading: 'ガイドツアー',
    answer: '無料ガイドツアーは毎週土曜日の午前10時に正門前から出発します。',
    twins: ['夜のガイドツアーは毎週金曜日の午後7時に東門から出発します。', '有料の写真教室は毎月第一日曜日に開かれます。', '正門前のバス停から駅まで10分です。'],
    questions: [['ガイドツアーは何曜日にありますか？', 'date'], ['無料ガイドツアーはどこから出発しますか？', 'paraphrase']],
  },
  {
    lang: 'ja', heading: '盆栽',
    answer: '最も古い盆栽は樹齢350年の五葉松です。',
    twins: ['最も高い木は高さ40メートルのセコイアです。', '盆栽の展示は1987年に始まりました。', '五葉松の手入れ教室は秋に開かれます。'],
    questions: [['一番古い盆栽の樹齢は何年ですか？', 'number'], ['最も古い盆栽は何の木ですか？', 'name']],
  },
  {
    lang: 'ja', heading: 'ベビーカー',
    answer: 'ベビーカーは正門のインフォメーションで無料で貸し出しています。',
    twins: ['車いすは西門の受付で無料で貸し出しています。', '傘は北門の事務所で貸し出しています。', 'ベビーカーでの温室への入場は階段のためできません。'],
    questions: [['ベビーカーはどこで借りられますか？', 'paraphrase'], ['ベビーカーの貸し出しは有料ですか？', 'paraphrase']],
  },
  {
    lang: 'ja', heading: '無料Wi-Fi',
    answer: '無料Wi-FiのネットワークはMidori-Freeで、パスワードは不要です。',
    twins: ['職員用のWi-Fiは来園者は使えません。', 'Midoriカードの会員は売店で1割引になります。', 'カフェでは電源を無料で使えます。'],
    questions: [['無料Wi-Fiのネットワーク名は何ですか？', 'name'], ['Wi-Fiのパスワードは必要ですか？', 'paraphrase']],
    cross: [['What is the Midori-Free network?', 'cross']],
  },
  {
    lang: 'ja', heading: '落とし物',
    answer: '落とし物は北門の管理事務所で2週間保管します。',
    twins: ['忘れ物の傘は正門の窓口で1週間保管します。', '北門の管理事務所は午後5時に閉まります。', '拾った種は持ち帰らないでください。'],
    questions: [['落とし物はどこで受け取れますか？', 'paraphrase'], ['落とし物はどのくらいの期間保管されますか？', 'paraphrase']],
  },
];
