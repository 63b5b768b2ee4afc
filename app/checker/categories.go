package checker

// Category describes one lexicon category: a kind of content the regulation
// prohibits (Art. 18) or treats as sensitive (Art. 20, Art. 21).
type Category struct {
	// Code is the stable identifier used in lexicon files, e.g. "art18.2".
	Code string `json:"code"`
	// Label is the Chinese label, taken from the regulation's wording.
	Label string `json:"label"`
	// LabelEN is the English label.
	LabelEN string `json:"label_en"`
	// Article cites the regulation in Chinese, e.g. "第十八条第（二）项".
	Article string `json:"article"`
	// ArticleEN cites the regulation in English, e.g. "Art. 18(2)".
	ArticleEN string `json:"article_en"`
}

// Category codes for Art. 20 and the personal-data detectors.
const (
	catPrivacy        = "art18.11"
	catMajorSensitive = "art20.major_sensitive"
)

var categoryTable = []Category{
	{"art18.1", "违反宪法确定的基本原则", "Violates the basic principles set by the Constitution", "第十八条第（一）项", "Art. 18(1)"},
	{"art18.2", "危害国家安全，泄露国家秘密和工作秘密", "Endangers national security or leaks state or work secrets", "第十八条第（二）项", "Art. 18(2)"},
	{"art18.3", "损害国家荣誉和利益", "Harms national honour and interests", "第十八条第（三）项", "Art. 18(3)"},
	{"art18.4", "煽动民族仇恨、民族歧视，破坏民族团结", "Incites ethnic hatred or discrimination, undermines ethnic unity", "第十八条第（四）项", "Art. 18(4)"},
	{"art18.5", "破坏国家宗教政策，宣扬邪教和封建迷信", "Undermines the state's religious policy, promotes cults or feudal superstition", "第十八条第（五）项", "Art. 18(5)"},
	{"art18.6", "散布谣言，扰乱社会秩序，破坏社会稳定", "Spreads rumours, disturbs social order or stability", "第十八条第（六）项", "Art. 18(6)"},
	{"art18.7", "散布淫秽、色情、赌博、暴力、恐怖或者教唆犯罪", "Spreads obscenity, pornography, gambling, violence or terror, or instigates crime", "第十八条第（七）项", "Art. 18(7)"},
	{"art18.8", "侮辱或者诽谤他人，侵害他人合法权益", "Insults or defames others, infringes their lawful rights", "第十八条第（八）项", "Art. 18(8)"},
	{"art18.9", "煽动非法集会、结社、游行、示威、聚众扰乱社会秩序", "Incites illegal assembly, association, procession or demonstration, or mass disturbance", "第十八条第（九）项", "Art. 18(9)"},
	{"art18.10", "以非法民间组织名义活动", "Acts in the name of an illegal civil organisation", "第十八条第（十）项", "Art. 18(10)"},
	{"art18.11", "涉及个人隐私和商业秘密", "Involves personal privacy or trade secrets", "第十八条第（十一）项", "Art. 18(11)"},
	{"art18.12", "含有法律法规禁止的其他内容", "Other content prohibited by laws and regulations", "第十八条第（十二）项", "Art. 18(12)"},
	{"art20.major_sensitive", "涉及重大、敏感案（事）件的信息", "Information on major or sensitive cases and incidents", "第二十条", "Art. 20"},
	{"art21.major_police_info", "重要警务信息", "Important police information", "第二十一条", "Art. 21"},
	{"art21.major_vicious_case", "重大恶性案件", "Major vicious cases", "第二十一条", "Art. 21"},
	{"art21.mass_incident", "群体性事件", "Mass incidents", "第二十一条", "Art. 21"},
	{"art21.ethnic_religious", "涉及民族宗教的案（事）件", "Cases and incidents involving ethnic groups or religion", "第二十一条", "Art. 21"},
	{"art21.revenge_minors", "恶意报复社会和伤害未成年人案件", "Revenge-on-society cases and cases harming minors", "第二十一条", "Art. 21"},
	{"art21.foreign", "涉外案件", "Foreign-related cases", "第二十一条", "Art. 21"},
	{"art21.disaster_epidemic", "灾情疫情", "Disasters and epidemics", "第二十一条", "Art. 21"},
	{"art21.statistics", "统计数据", "Statistics", "第二十一条", "Art. 21"},
}

var categoryIndex = func() map[string]int {
	m := make(map[string]int, len(categoryTable))
	for i, c := range categoryTable {
		m[c.Code] = i
	}
	return m
}()

// CategoryInfo returns the category with the given code, and whether the code
// is known.
func CategoryInfo(code string) (Category, bool) {
	i, ok := categoryIndex[code]
	if !ok {
		return Category{}, false
	}
	return categoryTable[i], true
}

// Categories returns every known category in regulation order: art18.1 …
// art18.12, art20.major_sensitive, then the art21.* kinds. The slice is a copy.
func Categories() []Category {
	out := make([]Category, len(categoryTable))
	copy(out, categoryTable)
	return out
}
