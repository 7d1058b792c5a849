//! Strings of photos: the picker on forms, thumbnails and the full photo, the sync line's
//! count and the upload setting.

messages! {
    PhotoMsg {
        Photos => "照片", "Photos";
        TakePhoto => "拍照", "Take a photo";
        FromAlbum => "从相册选", "From the album";
        Remove => "删除照片", "Remove photo";
        Stage => "照片内容", "What it shows";
        Unreadable => "这张照片无法读取，请重拍。", "This photo could not be read; please take it again.";
        TooMany => "每一步最多 9 张照片。", "At most 9 photos per step.";
        Preparing => "正在处理照片…", "Preparing the photo…";
        FullOffline => "联网后可查看原图。", "Connect to see the full photo.";
        Loading => "正在加载原图…", "Loading the full photo…";
        Close => "关闭", "Close";
        Waiting => "照片 {n} 张待上传", "{n} photos to upload";
        Refused => "照片 {n} 张上传被拒", "{n} photos refused by the server";
        UploadTitle => "照片上传", "Photo upload";
        WifiOnly => "仅 Wi-Fi", "Wi-Fi only";
        AlsoMobile => "也用移动数据", "Also on mobile data";
        UploadHint => "手机无法判断网络类型时照常上传。", "Where the phone cannot tell the network type, photos always upload.";
        PrefetchPaused => "存储空间不足，已暂停预取照片。", "Storage is low: photo prefetching is paused.";
    }
}
