package checker

import "testing"

// builtinTraditional lists traditional spellings of the built-in terms
// (mainland, Taiwan and Hong Kong forms as OpenCC's s2t, s2tw and s2hk
// write them, plus a few hand-written variant forms such as 涉臺 and
// 警衞任務). Terms written the same in both scripts are left out.
var builtinTraditional = []struct {
	id    string
	forms []string
}{
	{"b18.1-01", []string{"推翻共產黨"}},
	{"b18.1-02", []string{"推翻社會主義制度"}},
	{"b18.1-03", []string{"否定黨的領導"}},
	{"b18.1-04", []string{"一黨專政"}},
	{"b18.1-05", []string{"多黨輪流執政"}},
	{"b18.1-06", []string{"三權分立"}},
	{"b18.1-07", []string{"憲政民主"}},
	{"b18.1-08", []string{"顏色革命"}},
	{"b18.2-02", []string{"絕密"}},
	{"b18.2-03", []string{"機密文件"}},
	{"b18.2-04", []string{"機密級"}},
	{"b18.2-05", []string{"祕密級", "秘密級"}},
	{"b18.2-06", []string{"國家祕密", "國家秘密"}},
	{"b18.2-07", []string{"工作祕密"}},
	{"b18.2-08", []string{"內部文件"}},
	{"b18.2-09", []string{"內部資料"}},
	{"b18.2-10", []string{"國保"}},
	{"b18.2-11", []string{"技術偵察"}},
	{"b18.2-12", []string{"技偵"}},
	{"b18.2-14", []string{"線人"}},
	{"b18.2-15", []string{"臥底"}},
	{"b18.2-20", []string{"臺獨", "台獨"}},
	{"b18.2-21", []string{"藏獨"}},
	{"b18.2-22", []string{"疆獨"}},
	{"b18.2-23", []string{"港獨"}},
	{"b18.2-24", []string{"東突"}},
	{"b18.2-25", []string{"顛覆國家政權"}},
	{"b18.2-26", []string{"間諜"}},
	{"b18.3-03", []string{"辱華"}},
	{"b18.3-04", []string{"東亞病夫"}},
	{"b18.3-05", []string{"侮辱國旗"}},
	{"b18.3-06", []string{"焚燒國旗"}},
	{"b18.3-07", []string{"詆譭英烈"}},
	{"b18.4-02", []string{"民族歧視"}},
	{"b18.4-03", []string{"綠綠"}},
	{"b18.4-07", []string{"排華"}},
	{"b18.4-08", []string{"滾出中國"}},
	{"b18.5-02", []string{"法輪"}},
	{"b18.5-08", []string{"東方閃電"}},
	{"b18.5-09", []string{"實際神"}},
	{"b18.5-10", []string{"門徒會"}},
	{"b18.5-12", []string{"觀音法門"}},
	{"b18.5-13", []string{"統一教"}},
	{"b18.5-14", []string{"聖戰"}},
	{"b18.5-15", []string{"宗教極端"}},
	{"b18.6-01", []string{"網傳"}},
	{"b18.6-02", []string{"據傳"}},
	{"b18.6-04", []string{"內部消息"}},
	{"b18.6-05", []string{"內部人士透露"}},
	{"b18.6-06", []string{"未經證實"}},
	{"b18.6-07", []string{"轉發救人"}},
	{"b18.6-08", []string{"不轉不是中國人"}},
	{"b18.6-09", []string{"速看馬上刪"}},
	{"b18.6-10", []string{"即將封城"}},
	{"b18.6-11", []string{"地震預報"}},
	{"b18.6-12", []string{"震驚"}},
	{"b18.7-01", []string{"賭博網站"}},
	{"b18.7-02", []string{"網上賭場"}},
	{"b18.7-03", []string{"博彩平臺"}},
	{"b18.7-04", []string{"百家樂"}},
	{"b18.7-07", []string{"色情網站"}},
	{"b18.7-09", []string{"約炮"}},
	{"b18.7-11", []string{"賣淫嫖娼"}},
	{"b18.7-12", []string{"淫穢視頻"}},
	{"b18.7-13", []string{"催情藥"}},
	{"b18.7-14", []string{"迷藥"}},
	{"b18.7-15", []string{"出售槍支"}},
	{"b18.7-16", []string{"自制炸藥"}},
	{"b18.7-17", []string{"炸藥配方"}},
	{"b18.7-18", []string{"製毒教程"}},
	{"b18.7-20", []string{"斬首視頻"}},
	{"b18.7-21", []string{"暴恐視頻"}},
	{"b18.7-23", []string{"自殺方法"}},
	{"b18.7-24", []string{"恐怖組織"}},
	{"b18.7-25", []string{"恐怖主義"}},
	{"b18.8-03", []string{"腦殘"}},
	{"b18.8-06", []string{"敗類"}},
	{"b18.8-07", []string{"賤人"}},
	{"b18.8-12", []string{"白癡"}},
	{"b18.8-13", []string{"神經病"}},
	{"b18.8-15", []string{"廢物"}},
	{"b18.9-01", []string{"上街遊行"}},
	{"b18.9-02", []string{"遊行示威"}},
	{"b18.9-03", []string{"集會抗議"}},
	{"b18.9-04", []string{"靜坐抗議"}},
	{"b18.9-05", []string{"圍堵政府"}},
	{"b18.9-06", []string{"一起去討說法", "一起去討説法"}},
	{"b18.9-07", []string{"組織遊行"}},
	{"b18.9-08", []string{"拉橫幅"}},
	{"b18.9-09", []string{"罷工"}},
	{"b18.9-10", []string{"罷課"}},
	{"b18.9-11", []string{"集體維權"}},
	{"b18.10-01", []string{"非法社會組織"}},
	{"b18.10-02", []string{"非法民間組織"}},
	{"b18.10-03", []string{"山寨社團"}},
	{"b18.10-04", []string{"離岸社團"}},
	{"b18.10-05", []string{"未經登記的社會組織"}},
	{"b18.10-06", []string{"非法結社"}},
	{"b18.10-07", []string{"民間維權組織"}},
	{"b18.11-01", []string{"身份證號"}},
	{"b18.11-03", []string{"手機號碼"}},
	{"b18.11-04", []string{"真實姓名"}},
	{"b18.11-05", []string{"銀行卡號"}},
	{"b18.11-06", []string{"戶籍信息"}},
	{"b18.11-07", []string{"開房記錄"}},
	{"b18.11-08", []string{"行蹤軌跡"}},
	{"b18.11-09", []string{"通話記錄"}},
	{"b18.11-10", []string{"聊天記錄"}},
	{"b18.11-12", []string{"舉報人"}},
	{"b18.11-13", []string{"商業祕密", "商業秘密"}},
	{"b18.11-14", []string{"未打碼"}},
	{"b18.12-01", []string{"代查個人信息"}},
	{"b18.12-02", []string{"代辦假證"}},
	{"b18.12-03", []string{"辦假證"}},
	{"b18.12-05", []string{"有償刪帖"}},
	{"b18.12-06", []string{"刷單返利"}},
	{"b18.12-07", []string{"套路貸"}},
	{"b18.12-08", []string{"翻牆軟件"}},
	{"b18.12-09", []string{"科學上網"}},
	{"b18.12-10", []string{"出租銀行卡"}},
	{"b18.12-13", []string{"帶貨"}},
	{"b18.12-14", []string{"廣告合作"}},
	{"b18.12-15", []string{"掃碼領紅包"}},
	{"b20.major_sensitive-04", []string{"顛覆國家政權罪"}},
	{"b20.major_sensitive-05", []string{"恐怖襲擊"}},
	{"b20.major_sensitive-07", []string{"襲警"}},
	{"b20.major_sensitive-08", []string{"民警犧牲"}},
	{"b20.major_sensitive-09", []string{"民警受傷"}},
	{"b20.major_sensitive-10", []string{"民警開槍"}},
	{"b20.major_sensitive-11", []string{"當場擊斃"}},
	{"b20.major_sensitive-12", []string{"涉警輿情"}},
	{"b20.major_sensitive-13", []string{"負面輿情"}},
	{"b20.major_sensitive-15", []string{"在押人員死亡"}},
	{"b20.major_sensitive-16", []string{"跳樓"}},
	{"b20.major_sensitive-17", []string{"墜樓"}},
	{"b20.major_sensitive-18", []string{"自殺"}},
	{"b20.major_sensitive-20", []string{"黑社會性質組織"}},
	{"b20.major_sensitive-21", []string{"保護傘"}},
	{"b20.major_sensitive-22", []string{"民警違紀"}},
	{"b20.major_sensitive-24", []string{"刑訊逼供"}},
	{"b21.major_police_info-01", []string{"重要警務信息"}},
	{"b21.major_police_info-02", []string{"收網行動"}},
	{"b21.major_police_info-03", []string{"統一收網"}},
	{"b21.major_police_info-04", []string{"抓捕行動"}},
	{"b21.major_police_info-05", []string{"領導批示"}},
	{"b21.major_police_info-07", []string{"警力調動"}},
	{"b21.major_police_info-09", []string{"警衛任務", "警衞任務"}},
	{"b21.major_police_info-10", []string{"案情通報"}},
	{"b21.major_police_info-11", []string{"專案組"}},
	{"b21.major_vicious_case-02", []string{"殺人"}},
	{"b21.major_vicious_case-03", []string{"碎屍"}},
	{"b21.major_vicious_case-04", []string{"滅門"}},
	{"b21.major_vicious_case-05", []string{"持刀傷人"}},
	{"b21.major_vicious_case-07", []string{"強姦"}},
	{"b21.major_vicious_case-08", []string{"綁架"}},
	{"b21.major_vicious_case-09", []string{"劫持人質"}},
	{"b21.major_vicious_case-11", []string{"槍擊案"}},
	{"b21.major_vicious_case-13", []string{"縱火"}},
	{"b21.major_vicious_case-14", []string{"惡性案件"}},
	{"b21.mass_incident-01", []string{"羣體性事件", "群體性事件"}},
	{"b21.mass_incident-02", []string{"聚衆鬧事", "聚眾鬧事"}},
	{"b21.mass_incident-03", []string{"集體上訪"}},
	{"b21.mass_incident-04", []string{"打砸搶"}},
	{"b21.mass_incident-05", []string{"衝擊政府機關"}},
	{"b21.mass_incident-06", []string{"衝擊派出所"}},
	{"b21.mass_incident-07", []string{"圍攻民警"}},
	{"b21.mass_incident-08", []string{"聚衆鬥毆", "聚眾鬥毆"}},
	{"b21.mass_incident-09", []string{"械鬥"}},
	{"b21.mass_incident-11", []string{"拆遷衝突"}},
	{"b21.mass_incident-12", []string{"討薪"}},
	{"b21.mass_incident-13", []string{"業主維權"}},
	{"b21.ethnic_religious-01", []string{"民族糾紛"}},
	{"b21.ethnic_religious-02", []string{"宗教糾紛"}},
	{"b21.ethnic_religious-05", []string{"非法宗教活動"}},
	{"b21.ethnic_religious-06", []string{"私設聚會點"}},
	{"b21.ethnic_religious-07", []string{"家庭教會"}},
	{"b21.ethnic_religious-08", []string{"地下教會"}},
	{"b21.ethnic_religious-11", []string{"維吾爾"}},
	{"b21.ethnic_religious-13", []string{"少數民族"}},
	{"b21.ethnic_religious-14", []string{"宗教場所"}},
	{"b21.revenge_minors-01", []string{"報復社會"}},
	{"b21.revenge_minors-02", []string{"傷害兒童"}},
	{"b21.revenge_minors-03", []string{"傷害未成年人"}},
	{"b21.revenge_minors-05", []string{"猥褻兒童"}},
	{"b21.revenge_minors-07", []string{"拐賣兒童"}},
	{"b21.revenge_minors-08", []string{"校園暴力"}},
	{"b21.revenge_minors-09", []string{"校園欺凌"}},
	{"b21.revenge_minors-10", []string{"衝撞人羣", "衝撞人群"}},
	{"b21.revenge_minors-11", []string{"無差別傷人"}},
	{"b21.revenge_minors-13", []string{"留守兒童"}},
	{"b21.foreign-02", []string{"外國人"}},
	{"b21.foreign-04", []string{"大使館"}},
	{"b21.foreign-05", []string{"使領館"}},
	{"b21.foreign-06", []string{"境外人員"}},
	{"b21.foreign-09", []string{"非法就業"}},
	{"b21.foreign-11", []string{"涉臺"}},
	{"b21.foreign-13", []string{"臺胞"}},
	{"b21.disaster_epidemic-02", []string{"災情"}},
	{"b21.disaster_epidemic-04", []string{"洪澇"}},
	{"b21.disaster_epidemic-05", []string{"颱風"}},
	{"b21.disaster_epidemic-07", []string{"山體滑坡"}},
	{"b21.disaster_epidemic-08", []string{"礦難"}},
	{"b21.disaster_epidemic-09", []string{"火災"}},
	{"b21.disaster_epidemic-10", []string{"安全生產事故"}},
	{"b21.disaster_epidemic-11", []string{"遇難"}},
	{"b21.disaster_epidemic-12", []string{"死亡人數"}},
	{"b21.disaster_epidemic-13", []string{"傳染病"}},
	{"b21.disaster_epidemic-15", []string{"確診病例"}},
	{"b21.disaster_epidemic-17", []string{"封控區"}},
	{"b21.disaster_epidemic-18", []string{"非洲豬瘟"}},
	{"b21.statistics-01", []string{"統計數據"}},
	{"b21.statistics-02", []string{"發案率"}},
	{"b21.statistics-04", []string{"立案數"}},
	{"b21.statistics-07", []string{"環比"}},
	{"b21.statistics-08", []string{"警情總量"}},
	{"b21.statistics-10", []string{"涉案金額"}},
	{"b21.statistics-11", []string{"挽回損失"}},
	{"b21.statistics-12", []string{"數據顯示"}},
}

// TestBuiltinTraditionalSpellings: every built-in term written in
// traditional characters is found like the simplified one (臺獨 is 台独).
func TestBuiltinTraditionalSpellings(t *testing.T) {
	l := Builtin()
	ids := map[string]bool{}
	for _, term := range l.Terms() {
		ids[term.ID] = true
	}
	for _, c := range builtinTraditional {
		if !ids[c.id] {
			t.Errorf("%s is not a built-in term", c.id)
			continue
		}
		for _, form := range c.forms {
			found := false
			for _, f := range l.Check(form) {
				if f.Rule == c.id && f.Start == 0 && f.Text == form {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: %q not found: %v", c.id, form, hits(l.Check(form)))
			}
		}
	}
	for _, c := range []struct{ text, rule string }{
		{"臺獨勢力", "b18.2-20"}, {"涉臺事務", "b21.foreign-11"}, {"臺胞", "b21.foreign-13"}, {"博彩平臺", "b18.7-03"},
		{"國保大隊", "b18.2-10"}, {"東突分子", "b18.2-24"}, {"長期從事特情工作", "b18.2-13"},
	} {
		found := false
		for _, f := range l.Check(c.text) {
			found = found || f.Rule == c.rule
		}
		if !found {
			t.Errorf("%q: no %s in %v", c.text, c.rule, hits(l.Check(c.text)))
		}
	}
}

// TestT2SAdditions: common traditional and variant characters the table
// once lacked are converted.
func TestT2SAdditions(t *testing.T) {
	for _, p := range []string{
		"臺台", "長长", "麼么", "誹诽", "衞卫", "湧涌", "彿佛", "甦苏", "衊蔑", "衹只", "枱台",
		"尷尴", "濛蒙", "硃朱", "汎泛", "鼕冬", "銼锉", "敎教", "汚污", "踫碰", "鬪斗", "隣邻", "砲炮", "簷檐", "韮韭",
	} {
		rs := []rune(p)
		if got := t2sTable[rs[0]-cjkLo]; got != rs[1] {
			t.Errorf("%c → %q, want %c", rs[0], got, rs[1])
		}
	}
	norm, _ := Normalize("誹謗、汙衊他人，長期從事臺獨活動，甦醒，彷彿")
	if want := "诽谤污蔑他人长期从事台独活动苏醒彷佛"; string(norm) != want {
		t.Errorf("Normalize = %q, want %q", string(norm), want)
	}
}
