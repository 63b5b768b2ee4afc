package app

// Platform is a publishing platform with the length limits its editor
// enforces. The limits are data: when a platform changes them, change
// this table (and its Source) and nothing else.
type Platform struct {
	Code     string
	Name     string // Chinese name shown first
	NameEN   string
	TitleMax int    // characters; 0: the platform has no separate title
	BodyMax  int    // characters of the text body
	FoldAt   int    // characters the feed shows before it folds the rest behind 全文; 0: no fold
	Source   string // where the numbers come from
}

// Platforms are the platforms a post can target (domain.md), in the order
// the editor lists them.
var Platforms = []Platform{
	{Code: "weibo", Name: "微博", NameEN: "Weibo", TitleMax: 0, BodyMax: 2000, FoldAt: 140,
		Source: "微博网页版与客户端发布框上限 2000 字（超过 140 字折叠为“全文”）"},
	{Code: "wechat", Name: "微信公众号", NameEN: "WeChat official account", TitleMax: 64, BodyMax: 20000,
		Source: "微信公众平台图文编辑器：标题不超过 64 字，正文不超过 2 万字"},
	{Code: "channels", Name: "微信视频号", NameEN: "WeChat Channels", TitleMax: 0, BodyMax: 1000,
		Source: "视频号助手发表页：视频描述不超过 1000 字"},
	{Code: "toutiao", Name: "今日头条", NameEN: "Toutiao", TitleMax: 30, BodyMax: 2000,
		Source: "头条号后台：文章标题 2–30 字；微头条正文不超过 2000 字"},
	{Code: "douyin", Name: "抖音", NameEN: "Douyin", TitleMax: 30, BodyMax: 1000,
		Source: "抖音创作者中心发布页：作品标题不超过 30 字，作品简介不超过 1000 字"},
	{Code: "kuaishou", Name: "快手", NameEN: "Kuaishou", TitleMax: 0, BodyMax: 500,
		Source: "快手创作者服务平台发布页：作品描述不超过 500 字"},
	{Code: "bilibili", Name: "哔哩哔哩", NameEN: "Bilibili", TitleMax: 80, BodyMax: 2000,
		Source: "哔哩哔哩创作中心投稿页：标题不超过 80 字，简介不超过 2000 字"},
}

// PlatformByCode finds a platform.
func PlatformByCode(code string) (Platform, bool) {
	for _, p := range Platforms {
		if p.Code == code {
			return p, true
		}
	}
	return Platform{}, false
}

// Folds reports whether the platform's feed folds a body of n characters
// behind 全文, showing its first FoldAt characters only.
func (p Platform) Folds(n int) bool { return p.FoldAt > 0 && n > p.FoldAt }

// DefaultPostCategories is the starter list of post categories; an admin
// may edit the list (Session.SetPostCategories).
var DefaultPostCategories = []string{"警情通报", "防范提示", "便民服务", "队伍风采", "寻人/招领", "其他"}
