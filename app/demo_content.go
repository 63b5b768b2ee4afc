package app

import (
	"strings"

	"mediadesk/app/checker"
)

// The words of the demo county (demo.go): Tangyin county's stations and
// teams, the people, and what they write. Texts may hold {unit} (the
// unit's name) and {place} (its town), filled in per unit.

// demoUnitInfo is one unit the demo can set up.
type demoUnitInfo struct {
	ID    string // the unit id HQ gives it
	Name  string // e.g. 城关派出所
	Short string // e.g. 城关, for account names
	Place string // its town, for the texts
}

// demoUnits are Tangyin county's police stations, then its teams (所队),
// in the order the demo sets them up.
var demoUnits = []demoUnitInfo{
	{"chengguan", "城关派出所", "城关", "城关镇"},
	{"caiyuan", "菜园派出所", "菜园", "菜园镇"},
	{"rengu", "任固派出所", "任固", "任固镇"},
	{"wuling", "五陵派出所", "五陵", "五陵镇"},
	{"yigou", "宜沟派出所", "宜沟", "宜沟镇"},
	{"baiying", "白营派出所", "白营", "白营镇"},
	{"guxian", "古贤派出所", "古贤", "古贤镇"},
	{"fudao", "伏道派出所", "伏道", "伏道镇"},
	{"hanzhuang", "韩庄派出所", "韩庄", "韩庄镇"},
	{"wagang", "瓦岗派出所", "瓦岗", "瓦岗乡"},
	{"zhian", "治安管理大队", "治安", "县城"},
	{"xingzhen", "刑事侦查大队", "刑侦", "县城"},
	{"jiaojing", "交通警察大队", "交警", "县城"},
	{"xunte", "巡特警大队", "巡特警", "县城"},
	{"jindu", "禁毒大队", "禁毒", "县城"},
	{"jingzhen", "经济犯罪侦查大队", "经侦", "县城"},
	{"huanshi", "食品药品环境犯罪侦查大队", "环食药", "县城"},
	{"wangan", "网络安全保卫大队", "网安", "县城"},
	{"fazhi", "法制大队", "法制", "县城"},
	{"kanshousuo", "看守所", "监管", "县城"},
}

// MaxDemoUnits is the largest demo county (one install per unit above).
var MaxDemoUnits = len(demoUnits)

// The HQ of the demo county and its two people.
const (
	demoHQName       = "汤阴县公安局宣传科"
	demoHQAdminName  = "赵振华"
	demoHQStaffName  = "刘晓燕"
	demoHQTrainerTag = "县局宣传科 "
)

var demoSurnames = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧")

var demoGivenNames = []string{"建国", "晓明", "海涛", "志强", "丽娜", "文博", "春雷", "振宇", "晓燕", "国庆",
	"俊杰", "雪梅", "宏伟", "子涵", "鹏飞", "秀英", "立新", "静怡", "明辉", "永刚",
	"佳琪", "德胜", "婷婷", "浩然", "红霞", "卫东", "思远", "玉兰", "天宇", "晨曦"}

// demoPerson is the n-th name of the county: every n below 900 gives
// another name (a full county needs MaxDemoUnits × len(demoRoster)).
func demoPerson(n int) string {
	s := len(demoSurnames)
	return string(demoSurnames[n%s]) + demoGivenNames[(n+n/s*7)%len(demoGivenNames)]
}

// fill puts a unit's name and town into a text.
func (u demoUnitInfo) fill(text string) string {
	return strings.NewReplacer("{unit}", u.Name, "{place}", u.Place, "{short}", u.Short).Replace(text)
}

// demoStaff is one person on a unit's roster: the first four also sign
// in (demoUserNames).
type demoStaff struct {
	Department string
	Active     bool
}

// demoRoster lists a unit's people in roster order; the first four are
// its users: the admin (内勤), the shift leader and two officers.
var demoRoster = []demoStaff{
	{"综合室", true}, {"所领导", true}, {"社区警务队", true}, {"案件办理队", true},
	{"治安管理组", true}, {"户籍室", true}, {"社区警务队", true}, {"案件办理队", false},
}

// demoUserNames are the sign-in names of a unit's four users, in roster
// order, and their roles.
var demoUserNames = []struct {
	Name string
	Role Role
}{{"admin", StationAdmin}, {"leader", ShiftLeader}, {"officer1", Officer}, {"officer2", Officer}}

// demoContent is a post the demo writes.
type demoContent struct {
	Title, Body, Category string
	Flags                 []string // sensitive categories (Art. 20, 21)
	Personal              bool     // for an officer's personal work account
	// HQComment and Fixed: HQ returns the post once with the comment, and
	// the author rewrites the body as Fixed.
	HQComment, Fixed string
}

// The posts, by what they show: plain ones the stations publish in turn,
// and the special ones the post plan (demo.go) places.
var (
	demoPlainPosts = []demoContent{
		{Title: "{unit}户籍窗口周六延时服务的公告", Category: "便民服务",
			Body: "为方便辖区群众办理户籍业务，即日起{unit}户籍窗口每周六上午照常对外办公，可办理居民身份证申领、户口迁移、出生登记等业务。办理前请备齐相关材料，如有疑问可在工作时间到窗口咨询。"},
		{Title: "警惕“刷单返利”骗局", Category: "防范提示",
			Body: "近期，{place}有群众收到“兼职刷单、动动手指就能赚钱”的信息，按对方要求先垫付资金后被骗。民警提示：所有刷单返利都是诈骗！不轻信、不转账，遇到可疑情况请及时拨打110或到{unit}咨询。"},
		{Title: "雨夜寻回走失老人 民警暖心护送回家", Category: "队伍风采",
			Body: "日前晚上，{unit}接到群众求助，一名七旬老人在{place}街头迷路。值班民警迅速赶到现场，走访周边商户、查看监控，一个小时后联系上老人家属，将老人安全送回家中，家属连声道谢。"},
		{Title: "电动自行车防盗小贴士", Category: "防范提示",
			Body: "近期电动自行车被盗警情有所上升。{unit}提醒：停车时请选择有监控、有人看管的地方，加装防盗锁；不要将车辆停放在楼道内充电，既防盗又防火。"},
		{Title: "失物招领：黑色双肩包一个", Category: "寻人/招领",
			Body: "近日，{unit}民警在{place}巡逻时捡到黑色双肩包一个，内有书本、水杯等物品。请失主携带有效身份证件到{unit}值班室认领。"},
		{Title: "防范养老诈骗 守好老人“钱袋子”", Category: "防范提示",
			Body: "以“高额回报”“免费体检”“保健品讲座”为名的养老诈骗手法层出不穷。{unit}民警近日走进{place}多个社区，为老年群众讲解常见骗局。请子女多关心家中老人，遇到推销投资理财的陌生人，先和家人商量。"},
		{Title: "“警营开放日”邀您走进警营", Category: "其他",
			Body: "为增进警民交流，{unit}将举办“警营开放日”活动，欢迎辖区群众走进警营，参观执勤装备，了解户籍办理流程，学习防范诈骗知识。报名请在本号后台留言。"},
		{Title: "身份证丢了怎么办？补领流程看这里", Category: "便民服务",
			Body: "居民身份证丢失后，可携带户口簿到户籍所在地派出所申请补领；在{place}工作生活的外地群众，也可按规定办理异地补领。补领期间如需证明身份，可申请办理临时居民身份证。"},
		{Title: "社区民警走访企业 送上安全防范“大礼包”", Category: "队伍风采",
			Body: "近日，{unit}社区民警走访{place}辖区企业，检查内部安全防范措施，发放防诈骗宣传资料，面对面听取企业意见建议，为企业发展营造安全稳定的环境。"},
		{Title: "户口迁移“跨省通办”来了", Category: "便民服务",
			Body: "即日起，群众办理户口迁移可享受“跨省通办”服务，只需在迁入地派出所提出申请，无需再往返两地开具准迁证明。具体办理条件可到{unit}户籍窗口咨询。"},
		{Title: "护学岗守护孩子上学路", Category: "队伍风采",
			Body: "每天上下学时段，{unit}民警准时出现在{place}各中小学门口，疏导交通、巡逻防控，守护孩子们的上学路。请家长接送孩子时有序停车，不在校门口聚集。"},
		{Title: "警惕“虚拟货币投资”骗局", Category: "防范提示",
			Body: "近期，有不法分子以虚拟货币投资“稳赚不赔”为诱饵，诱导群众下载不明软件充值。{unit}提醒：凡是宣称高收益、零风险的投资都是陷阱，请通过正规渠道理财。"},
	}
	// demoReturnedPost is returned by HQ once and published when fixed.
	demoReturnedPost = demoContent{Title: "关于{place}一起交通事故的情况通报", Category: "警情通报",
		Flags:     []string{"art20.major_sensitive"},
		Body:      "某日17时许，{place}某路段发生一起两车相撞的交通事故，造成两人受伤，伤者已送医救治，均无生命危险。事故原因正在进一步调查中。请广大驾驶人文明驾驶，安全出行。",
		HQComment: "事故原因尚在调查，请删去具体时间和路段，以交警部门认定为准后再报。",
		Fixed:     "近日，{place}境内发生一起两车相撞的交通事故，造成两人受伤，伤者已送医救治，均无生命危险。事故具体情况以交警部门认定为准。请广大驾驶人文明驾驶，安全出行。"}
	// demoSensitivePost goes to HQ and is approved.
	demoSensitivePost = demoContent{Title: "{unit}上月治安形势分析", Category: "警情通报",
		Flags: []string{"art21.statistics"},
		Body:  "上月，{unit}辖区刑事警情、治安警情同比均有下降，电信网络诈骗警情仍占一定比例。请广大群众牢记“三不一多”：未知链接不点击，陌生来电不轻信，个人信息不透露，转账汇款多核实。"}
	// demoAwaitingPost is still waiting for HQ at the end.
	demoAwaitingPost = demoContent{Title: "关于{place}一起入室盗窃案的警情通报", Category: "警情通报",
		Flags: []string{"art20.major_sensitive"},
		Body:  "近日，{unit}成功破获一起入室盗窃案，抓获犯罪嫌疑人一名，追回被盗财物若干，案件正在进一步办理中。民警提醒：外出时请关好门窗，贵重物品妥善保管。"}
	// demoPersonalPost goes out on an officer's personal work account.
	demoPersonalPost = demoContent{Title: "社区民警的一天", Category: "队伍风采", Personal: true,
		Body: "早上八点到岗交接班，上午走访独居老人，下午调解邻里纠纷，傍晚到学校门口护学……这是{place}社区民警平凡的一天。守护一方平安，是我们最朴素的心愿。"}
	// demoLeaderReturnComment is the shift leader's comment on the post
	// returned for changes.
	demoLeaderReturnComment = "标题请再精炼一些，正文补充活动的时间和地点后再送审。"
)

// demoTemplates are HQ's reply templates (回复口径), published to every
// station; the last comes a month later than the others.
var demoTemplates = []TemplateForm{
	{Category: "咨询答复", Title: "居住证办理咨询答复",
		Body: "{网民}您好！办理居住证需本人携带居民身份证、近期免冠照片以及居住证明材料，到居住地派出所户籍窗口申请，{单位}将在规定时限内为您办理。感谢您的关注！"},
	{Category: "投诉受理", Title: "窗口服务投诉受理",
		Body: "{网民}您好！您反映的窗口服务问题我们已登记受理，{单位}将认真核查，并在规定时限内向您反馈处理结果。感谢您对公安工作的监督！"},
	{Category: "非本机关职权引导", Title: "物业纠纷引导",
		Body: "{网民}您好！您反映的物业服务问题不属于公安机关职权范围，建议您向{渠道}反映。如纠纷中出现违法犯罪行为，请及时拨打110报警。"},
	{Category: "举报受理", Title: "电诈线索举报受理",
		Body: "{网民}您好！您举报的电信网络诈骗线索已收到，{单位}将依法核查处理，并对您的信息严格保密。请勿在公开评论区发布个人信息。感谢您对反诈工作的支持！"},
}

// demoTerms are the terms HQ adds to the lexicon before it publishes an
// update.
var demoTerms = []TermForm{
	{Term: "虚拟货币", Category: "art18.12", Action: checker.Warn, Note: "涉虚拟货币炒作，反诈宣传须写明风险提示"},
	{Term: "换脸诈骗", Category: "art18.12", Action: checker.Warn, Note: "新型诈骗手法，发布前核实案例来源"},
}

// demoLexiconNote says what the lexicon update changes.
const demoLexiconNote = "增补虚拟货币、换脸诈骗等提醒词"

// demoAccountSpec is an account a unit files, and how its filing ends.
type demoAccountSpec struct {
	Key       string // the demo's name for it
	Platform  string
	Name      string // the account's name, with {short}
	Kind      string
	Officer   int // personal accounts: the roster index of the holder
	Followers int64
	// Filed is the day (days before today) it is filed; 0: only planned,
	// -1: filed after the last exchange, so HQ has it waiting.
	Filed  int
	Reject string // HQ rejects it with this reason
	Verify bool   // HQ verifies (认证) it after accepting it
	// Suspend is the day the station suspends it (0: never).
	Suspend int
}

// demoAccounts are every unit's accounts: two with posts, one that never
// posts (a zombie account), a personal work account, a rejected one, one
// planned, one waiting for HQ and one suspended.
var demoAccounts = []demoAccountSpec{
	{Key: "weibo", Platform: "weibo", Name: "平安{short}", Kind: UnitAccount, Followers: 12800, Filed: 58, Verify: true},
	{Key: "wechat", Platform: "wechat", Name: "汤阴县公安局{unit}", Kind: UnitAccount, Followers: 6400, Filed: 58},
	{Key: "douyin", Platform: "douyin", Name: "{short}警事", Kind: UnitAccount, Followers: 3100, Filed: 58},
	{Key: "personal", Platform: "weibo", Name: "{short}民警{officer}", Kind: PersonalAccount, Officer: 2, Followers: 900, Filed: 58, Verify: true},
	{Key: "personal2", Platform: "douyin", Name: "{officer}说防骗", Kind: PersonalAccount, Officer: 3, Filed: 58,
		Reject: "账号名称未体现民警身份，请按规定规范命名后重新报备"},
	{Key: "bilibili", Platform: "bilibili", Name: "{short}警苑", Kind: UnitAccount, Followers: 450, Filed: 58, Suspend: 20},
	{Key: "kuaishou", Platform: "kuaishou", Name: "{short}警民通", Kind: UnitAccount, Filed: 0},
	{Key: "toutiao", Platform: "toutiao", Name: "平安{short}", Kind: UnitAccount, Filed: -1},
}

// demoMessageStep is one step of a message's handling, Day days before
// today at Hour.
type demoMessageStep struct {
	Day, Hour int
	Move      MessageMove
}

// demoMessage is a netizen message and its handling.
type demoMessage struct {
	Day, Hour int // received
	Type      MessageType
	Platform  string
	Handle    string
	Content   string
	Steps     []demoMessageStep
}

// demoMessages are every unit's netizen messages: closed on time, closed
// late, out of scope, still open, and overdue.
var demoMessages = []demoMessage{
	{Day: 50, Hour: 9, Type: Inquiry, Platform: "weibo", Handle: "汤阴小周",
		Content: "请问在{unit}办理居住证需要带什么材料？",
		Steps: []demoMessageStep{
			{49, 10, MessageMove{To: MsgHandled, Note: "户籍室核实了所需材料"}},
			{49, 11, MessageMove{To: MsgFeedback, Reply: "您好！办理居住证需本人携带居民身份证、近期免冠照片和居住证明材料，到{unit}户籍窗口申请。感谢您的关注！"}},
			{48, 9, MessageMove{To: MsgClosed}},
		}},
	{Day: 44, Hour: 20, Type: Complaint, Platform: "wechat", Handle: "夜归人",
		Content: "{place}某路口晚上经常有人骑摩托车飙车，噪音很大，希望派出所管一管。",
		Steps: []demoMessageStep{
			{43, 9, MessageMove{To: MsgTransferred, Department: "治安管理组"}},
			{40, 15, MessageMove{To: MsgHandled, Note: "夜间在该路口设卡查处改装摩托车三辆"}},
			{39, 10, MessageMove{To: MsgFeedback, Reply: "您好！我们已在该路口加强夜间巡逻和查处，依法处理了改装摩托车。感谢您的监督！"}},
			{38, 9, MessageMove{To: MsgClosed}},
		}},
	{Day: 40, Hour: 21, Type: Report, Platform: "weibo", Handle: "平安守望者",
		Content: "举报{place}某小区地下室晚上有人聚众打牌赌钱。",
		Steps: []demoMessageStep{
			{39, 9, MessageMove{To: MsgHandled, Note: "出警核查，现场已散，已对该处加强巡查"}},
			{26, 10, MessageMove{To: MsgFeedback, Reply: "您好！您反映的情况我们已核查处理，并将持续加强巡查。感谢您对平安建设的支持！"}},
			{26, 16, MessageMove{To: MsgClosed}},
		}},
	{Day: 30, Hour: 18, Type: General, Platform: "wechat", Handle: "感恩的心",
		Content: "感谢{unit}民警帮我找回了丢失的钱包，为人民警察点赞！",
		Steps: []demoMessageStep{
			{29, 9, MessageMove{To: MsgHandled}},
			{29, 10, MessageMove{To: MsgFeedback, Reply: "感谢您的留言和对{unit}工作的支持，我们将继续努力，守护一方平安！"}},
			{28, 9, MessageMove{To: MsgClosed}},
		}},
	{Day: 25, Hour: 11, Type: Inquiry, Platform: "weibo", Handle: "小区业主老李",
		Content: "我们小区物业乱收停车费，派出所能管吗？",
		Steps: []demoMessageStep{
			{24, 9, MessageMove{To: MsgOutOfScope, Channel: "县市场监督管理局",
				Reply: "您好！您反映的物业收费问题不属于公安机关职权范围，建议您向县市场监督管理局反映。感谢您的理解！"}},
		}},
	{Day: 18, Hour: 16, Type: Complaint, Platform: "wechat", Handle: "排队两小时",
		Content: "{unit}户籍窗口排队时间太长，能不能多开一个窗口？",
		Steps: []demoMessageStep{
			{17, 9, MessageMove{To: MsgTransferred, Department: "户籍室"}},
		}},
	{Day: 14, Hour: 10, Type: Inquiry, Platform: "weibo", Handle: "新手妈妈",
		Content: "孩子上学需要开具户籍证明，请问怎么办理？"},
	{Day: 3, Hour: 15, Type: Suggestion, Platform: "weibo", Handle: "热心市民",
		Content: "建议在{place}中心小学门口早晚高峰增加护学岗。"},
	{Day: 2, Hour: 19, Type: Report, Platform: "wechat", Handle: "反诈志愿者",
		Content: "有人在网上发布招聘刷单的兼职信息，疑似诈骗。",
		Steps: []demoMessageStep{
			{1, 9, MessageMove{To: MsgHandled, Note: "已将线索移交案件办理队"}},
		}},
}

// demoTraining is a training a unit logs.
type demoTraining struct {
	Day       int
	Form      string
	Topics    []string
	Hours     string
	Trainer   string // {leader}, {hq} (HQ admin) and {hqstaff} are filled in
	Place     string
	Summary   string
	Attendees int // the first n active people of the roster; 0: all
	EvenOnly  bool
}

var demoTrainings = []demoTraining{
	{Day: 45, Form: "lecture", Topics: []string{"political", "writing"}, Hours: "2", Trainer: "{hq}", Place: "{unit}会议室",
		Summary: "学习县局新媒体管理规定，讲解政务信息发布规范和审核流程。"},
	{Day: 38, Form: "observation", Topics: []string{"network", "secrecy"}, Hours: "3", Trainer: "{hqstaff}", Place: "县局新媒体中心",
		Summary: "观摩县局新媒体中心值班、舆情监测和稿件审核的全过程。", Attendees: 4, EvenOnly: true},
	{Day: 31, Form: "case", Topics: []string{"business", "network"}, Hours: "1.5", Trainer: "{leader}", Place: "{unit}会议室",
		Summary: "剖析近期网络谣言和电信诈骗典型案例，研究回应网民关切的方法。", Attendees: 5},
	{Day: 12, Form: "exchange", Topics: []string{"communication"}, Hours: "1", Trainer: "{leader}", Place: "{unit}会议室",
		Summary: "交流网民留言答复经验，统一常见问题的答复口径。", Attendees: 4},
}

// demoNotice is a rectification notice HQ sends: Issued days before
// today, due Due days before today (negative: after today); answered
// Answered days before today (0: never) and closed by HQ at the exchange
// after the answer if Close.
type demoNotice struct {
	Issued, Due, Answered int
	Close                 bool
	Parity                int // sent to units whose index%2 is this; -1: to all
	Form                  NoticeForm
	Answer                string
}

var demoNotices = []demoNotice{
	{Issued: 22, Due: 10, Answered: 16, Close: true, Parity: 0,
		Form: NoticeForm{Title: "关于微信公众号更新不及时的整改通知", Article: "第二十六条", Item: "内容更新",
			Body: "经巡查，你单位微信公众号近一个月更新不足两次。请明确专人负责日常更新，保持每周至少发布两条信息，并将整改情况报宣传科。"},
		Answer: "已明确内勤专人负责公众号日常更新，建立每周选题会制度，本周起每周至少发布两条信息。"},
	{Issued: 15, Due: -7, Answered: 9, Parity: 1,
		Form: NoticeForm{Title: "关于规范民警个人工作账号报备的通知", Article: "第十三条", Item: "报备认证",
			Body: "你单位有民警个人工作账号尚未报备认证。请逐一核对民警开设的个人工作账号，按规定完成报备和认证。"},
		Answer: "已逐一核对全所民警的个人工作账号，未报备的已全部补报，认证材料随同步包报送。"},
	{Issued: 8, Due: 3, Parity: -1,
		Form: NoticeForm{Title: "关于网民留言办理超期的整改通知", Article: "第二十四条", Item: "办理时限",
			Body: "你单位有网民留言超过办理时限仍未办结。请立即办理并答复网民，同时说明超期原因和整改措施。"}},
}

// demoCampaign is a campaign a unit plans: From and To are days before
// today; ThisMonth spans the current month instead.
type demoCampaign struct {
	Title, Kind, Description string
	From, To                 int
	ThisMonth                bool
}

var demoCampaigns = []demoCampaign{
	{Title: "平安校园宣传周", Kind: PublicityCampaign, From: 49, To: 43,
		Description: "走进辖区中小学开展防溺水、防诈骗、交通安全宣传，配合发布系列防范提示。"},
	{Title: "“警营开放日”网上互动", Kind: InteractionActivity, From: 33, To: 31,
		Description: "网上征集群众关心的问题，开放日当天由民警在官方账号直播答复。"},
	{Title: "全民反诈宣传月", Kind: PublicityCampaign, ThisMonth: true,
		Description: "围绕刷单返利、虚假投资、冒充客服等高发诈骗类型，集中发布防范提示，开展进社区宣传。"},
}
