//! Strings of the login screen.

messages! {
    LoginMsg {
        LoginTitle => "登录网格通", "Log in to Wangge";
        LoginIntro => "首次使用需要联网登录一次，之后没有信号也能照常使用。", "Log in once with a connection; after that the app works without signal.";
        Username => "用户名", "Username";
        Password => "密码", "Password";
        LogIn => "登录", "Log in";
        LoggingIn => "正在登录…", "Logging in…";
        NeedUsername => "请输入用户名", "Enter your username";
        NeedPassword => "请输入密码", "Enter your password";
        NeedConnection => "登录需要网络连接。请到有信号的地方再试。", "Logging in needs a connection. Try again where there is signal.";
        LoginFailed => "登录失败：", "Login failed: ";
        OtherUserPending => "本机还有上一位用户未同步的修改，请先让其联网同步，或用其账号登录。", "This phone still has another user's unsynced changes. Let them sync first, or log in as them.";
        ServerTrouble => "服务器暂时无法登录，请稍后再试。", "The server cannot log you in right now; try again shortly.";
        Cancel => "取消", "Cancel";
        Loading => "正在打开本机数据…", "Opening the data on this phone…";
        StoreFailed => "无法打开本机数据：", "Cannot open the data on this phone: ";
    }
}
