<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.0" language="ar" sourcelanguage="">
  <context>
    <name>ConfigDialog</name>
    <message>
      <location filename="../config.py" line="106" />
      <source>Using configuration file at:</source>
      <translation>استخدام اعداد الملف عند:</translation>
    </message>
    <message>
      <location filename="../config.py" line="131" />
      <source>Behavior</source>
      <translation>السلوك</translation>
    </message>
    <message>
      <location filename="../config.py" line="132" />
      <source>Automatically save documents</source>
      <translation>حفظ المستندات آلياً</translation>
    </message>
    <message>
      <location filename="../config.py" line="133" />
      <source>Automatically open last documents on startup</source>
      <translation>افتح اخر مستندات عند التشغيل</translation>
    </message>
    <message>
      <location filename="../config.py" line="134" />
      <source>Number of recent documents</source>
      <translation>عدد من اخر المستندات</translation>
    </message>
    <message>
      <location filename="../config.py" line="135" />
      <source>Restore window geometry</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../config.py" line="136" />
      <source>Default preview state</source>
      <translation>حالة المعاينة الافتراضية</translation>
    </message>
    <message>
      <location filename="../config.py" line="137" />
      <source>Open external links in ReText window</source>
      <translation>فتح الروابط الخارجية في نافذة ريتيكست</translation>
    </message>
    <message>
      <location filename="../config.py" line="138" />
      <source>Markdown syntax extensions (comma-separated)</source>
      <translation>اضافات مارك داون لتركيب الجملة (مفصولة بفواصل)</translation>
    </message>
    <message>
      <location filename="../config.py" line="139" />
      <source>Enable synchronized scrolling for Markdown</source>
      <translation>تفعيل التمرير المتزامن لمارك داون</translation>
    </message>
    <message>
      <location filename="../config.py" line="205" />
      <location filename="../config.py" line="143" />
      <source>Editor</source>
      <translation>المحرر</translation>
    </message>
    <message>
      <location filename="../config.py" line="144" />
      <source>Highlight current line</source>
      <translation>تمميز السطر الحالي</translation>
    </message>
    <message>
      <location filename="../config.py" line="145" />
      <source>Show line numbers</source>
      <translation>اظهر رقم السطر</translation>
    </message>
    <message>
      <location filename="../config.py" line="146" />
      <source>Line numbers are relative to current line</source>
      <translation>ان ارقام السطر مرتبطة بالسطر الحالي</translation>
    </message>
    <message>
      <location filename="../config.py" line="147" />
      <source>Tab key inserts spaces</source>
      <translation>زر التاب (Tab) يدرج مساحات </translation>
    </message>
    <message>
      <location filename="../config.py" line="148" />
      <source>Tabulation width</source>
      <translation>عِرض الجدولة</translation>
    </message>
    <message>
      <location filename="../config.py" line="149" />
      <source>Draw vertical line at column</source>
      <translation>ارسم خط عمودي عند العمود</translation>
    </message>
    <message>
      <location filename="../config.py" line="150" />
      <source>Enable soft wrap</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../config.py" line="151" />
      <source>Show document stats</source>
      <translation>اظهر حالة المستند</translation>
    </message>
    <message>
      <location filename="../config.py" line="152" />
      <source>Ordered list mode</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../config.py" line="154" />
      <source>Interface</source>
      <translation>الواجهة</translation>
    </message>
    <message>
      <location filename="../config.py" line="155" />
      <source>Hide toolbar</source>
      <translation>اخفاء شريط الادوات</translation>
    </message>
    <message>
      <location filename="../config.py" line="156" />
      <source>Icon theme name</source>
      <translation>اسم ايقونة القالب</translation>
    </message>
    <message>
      <location filename="../config.py" line="157" />
      <source>Stylesheet file</source>
      <translation>ملف Stylesheet </translation>
    </message>
    <message>
      <location filename="../config.py" line="158" />
      <source>Hide tabs bar when there is only one tab</source>
      <translation>اخفاء شريط التبويبات عندما هنالك تبوب واحد فقط</translation>
    </message>
    <message>
      <location filename="../config.py" line="159" />
      <source>Show full path in window title</source>
      <translation>اظهر المسار الكامل في عنوان النافذة</translation>
    </message>
    <message>
      <location filename="../config.py" line="160" />
      <source>Show directory tree</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../config.py" line="161" />
      <source>Working directory</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../config.py" line="181" />
      <source>Help</source>
      <translation>مساعدة</translation>
    </message>
    <message>
      <location filename="../config.py" line="206" />
      <source>Live preview</source>
      <translation>معاينة مباشرة</translation>
    </message>
    <message>
      <location filename="../config.py" line="207" />
      <source>Normal preview</source>
      <translation>معاينة طبيعية</translation>
    </message>
    <message>
      <location filename="../config.py" line="212" />
      <source>Disabled</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../config.py" line="213" />
      <source>Cursor Line</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../config.py" line="214" />
      <source>Wrapped Line</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../config.py" line="219" />
      <source>Increment</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../config.py" line="220" />
      <source>Repeat</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>DirectorySelectButton</name>
    <message>
      <location filename="../config.py" line="81" />
      <source>Select directory to open</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>EncodingDialog</name>
    <message>
      <location filename="../dialogs.py" line="73" />
      <source>Enter encoding name:</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>FileDialogButton</name>
    <message>
      <location filename="../config.py" line="47" />
      <source>Select</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../config.py" line="50" />
      <source>(none)</source>
      <translation>(لا شيئ)</translation>
    </message>
    <message>
      <location filename="../config.py" line="58" />
      <source>Currently selected: %s</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>FileSelectButton</name>
    <message>
      <location filename="../config.py" line="70" />
      <source>Select file to open</source>
      <translation>اختر الملف لفتحه</translation>
    </message>
    <message>
      <location filename="../config.py" line="72" />
      <source>CSS files (*.css)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../config.py" line="72" />
      <source>All files (*)</source>
      <translation>جميع الملفات (*)</translation>
    </message>
  </context>
  <context>
    <name>InsertTableDialog</name>
    <message>
      <location filename="../tabledialog.py" line="26" />
      <source>Insert table</source>
      <translation>ادرج الجدول</translation>
    </message>
    <message>
      <location filename="../tabledialog.py" line="35" />
      <source>Number of rows</source>
      <translation>عدد الصفوف</translation>
    </message>
    <message>
      <location filename="../tabledialog.py" line="36" />
      <source>Number of columns</source>
      <translation>عدد الاعمدة</translation>
    </message>
  </context>
  <context>
    <name>LocaleDialog</name>
    <message>
      <location filename="../dialogs.py" line="51" />
      <source>Enter locale name (example: en_US)</source>
      <translation>ادخل اسم اللغة (مثلا en_US)</translation>
    </message>
    <message>
      <location filename="../dialogs.py" line="52" />
      <source>It is possible to specify multiple languages, separated by comma.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../dialogs.py" line="58" />
      <source>Set as default</source>
      <translation>وضعه كافتراضي</translation>
    </message>
  </context>
  <context>
    <name>Proxy</name>
    <message>
      <location filename="../fakevimeditor.py" line="68" />
      <source>No write since last change (add ! to override)</source>
      <translation>لا امكانية الكتابة منذ اخر تغيير (اضف ! لتجاوزه)</translation>
    </message>
    <message>
      <location filename="../fakevimeditor.py" line="124" />
      <source>Information</source>
      <translation>معلومة</translation>
    </message>
  </context>
  <context>
    <name>ReTextEdit</name>
    <message>
      <location filename="../editor.py" line="289" />
      <source>Add to dictionary</source>
      <translation>اضف القاموس</translation>
    </message>
    <message>
      <location filename="../editor.py" line="529" />
      <source>Save image</source>
      <translation>احفظ الصورة</translation>
    </message>
    <message>
      <location filename="../editor.py" line="531" />
      <source>Images (*.png *.jpg)</source>
      <translation>الصور (*.png *.jpg)</translation>
    </message>
  </context>
  <context>
    <name>ReTextTab</name>
    <message>
      <location filename="../tab.py" line="174" />
      <source>New document</source>
      <translation>مستند جديد</translation>
    </message>
    <message>
      <location filename="../tab.py" line="179" />
      <source>Could not parse file contents, check if you have the &lt;a href="%s"&gt;necessary module&lt;/a&gt; installed!</source>
      <translation>تعذر تحليل محتويات الملف، تفقد اذا كنت تمتلك ال&lt;a href="%s"&gt; الوحدة اللازمة &lt;/a&gt; منصبة!</translation>
    </message>
    <message>
      <location filename="../tab.py" line="489" />
      <source>Create missing file?</source>
      <translation>انشاء ملف مفقود؟</translation>
    </message>
    <message>
      <location filename="../tab.py" line="490" />
      <source>The file '%s' does not exist.

Do you want to create it?</source>
      <translation>الملف '%s' غير موجود

هل تريد انشائه؟</translation>
    </message>
    <message>
      <location filename="../tab.py" line="523" />
      <source>File could not be created</source>
      <translation>الملف لم يُستطع انشاءه</translation>
    </message>
    <message>
      <location filename="../tab.py" line="524" />
      <source>Could not create file '%s': %s</source>
      <translation>لم يُستطع انشاء ملف '%s': %s</translation>
    </message>
  </context>
  <context>
    <name>ReTextWindow</name>
    <message>
      <location filename="../window.py" line="147" />
      <source>File toolbar</source>
      <translation>ملف شريط الادوات</translation>
    </message>
    <message>
      <location filename="../window.py" line="149" />
      <source>Edit toolbar</source>
      <translation>تعديل شريط الادوات</translation>
    </message>
    <message>
      <location filename="../window.py" line="151" />
      <source>Search toolbar</source>
      <translation>البحث عن شريط الادوات</translation>
    </message>
    <message>
      <location filename="../window.py" line="155" />
      <source>New</source>
      <translation>جديد</translation>
    </message>
    <message>
      <location filename="../window.py" line="157" />
      <source>Open</source>
      <translation>فتح</translation>
    </message>
    <message>
      <location filename="../window.py" line="159" />
      <source>Set encoding</source>
      <translation>تعيين التشفير</translation>
    </message>
    <message>
      <location filename="../window.py" line="1273" />
      <location filename="../window.py" line="162" />
      <source>Reload</source>
      <translation>اعادة تحميل</translation>
    </message>
    <message>
      <location filename="../window.py" line="165" />
      <source>Save</source>
      <translation>حفظ</translation>
    </message>
    <message>
      <location filename="../window.py" line="168" />
      <source>Save as</source>
      <translation>حفظ كـــ</translation>
    </message>
    <message>
      <location filename="../window.py" line="170" />
      <source>Next tab</source>
      <translation>التبويب التالي</translation>
    </message>
    <message>
      <location filename="../window.py" line="176" />
      <source>Previous tab</source>
      <translation>التبويب الماضي</translation>
    </message>
    <message>
      <location filename="../window.py" line="184" />
      <source>Close tab</source>
      <translation>غلق التبويب</translation>
    </message>
    <message>
      <location filename="../window.py" line="186" />
      <source>Print</source>
      <translation>طباع</translation>
    </message>
    <message>
      <location filename="../window.py" line="188" />
      <source>Print preview</source>
      <translation>معاينة الطباعة</translation>
    </message>
    <message>
      <location filename="../window.py" line="191" />
      <source>View HTML code</source>
      <translation>عرض ترميز ال HTML</translation>
    </message>
    <message>
      <location filename="../window.py" line="196" />
      <source>Change editor font</source>
      <translation>تغيير خط المحرر </translation>
    </message>
    <message>
      <location filename="../window.py" line="198" />
      <source>Change preview font</source>
      <translation>تغيير خط المعاين</translation>
    </message>
    <message>
      <location filename="../window.py" line="200" />
      <source>Find text</source>
      <translation>ايجاد نص</translation>
    </message>
    <message>
      <location filename="../window.py" line="784" />
      <location filename="../window.py" line="202" />
      <source>Go to line</source>
      <translation>اذهب الى سطر</translation>
    </message>
    <message>
      <location filename="../window.py" line="205" />
      <source>Preview</source>
      <translation>معاينة</translation>
    </message>
    <message>
      <location filename="../window.py" line="215" />
      <source>Live preview</source>
      <translation>معاينة مباشرة</translation>
    </message>
    <message>
      <location filename="../window.py" line="219" />
      <source>Insert table</source>
      <translation>ادرج جدول</translation>
    </message>
    <message>
      <location filename="../window.py" line="221" />
      <source>Table editing mode</source>
      <translation>وضع تحرير الجدول</translation>
    </message>
    <message>
      <location filename="../window.py" line="224" />
      <source>Insert images by file path</source>
      <translation>ادراج الصور بواسطة مسار الملف</translation>
    </message>
    <message>
      <location filename="../window.py" line="227" />
      <source>FakeVim mode</source>
      <translation>وضع فيك في ام FakeVim </translation>
    </message>
    <message>
      <location filename="../window.py" line="232" />
      <source>Fullscreen mode</source>
      <translation>وضع كامل الشاشة</translation>
    </message>
    <message>
      <location filename="../window.py" line="732" />
      <location filename="../window.py" line="235" />
      <source>Preferences</source>
      <translation>التفضيلات</translation>
    </message>
    <message>
      <location filename="../window.py" line="246" />
      <source>Quit</source>
      <translation>خروج</translation>
    </message>
    <message>
      <location filename="../window.py" line="252" />
      <source>Undo</source>
      <translation>الغاء التغيير</translation>
    </message>
    <message>
      <location filename="../window.py" line="254" />
      <source>Redo</source>
      <translation>اعد التغيير</translation>
    </message>
    <message>
      <location filename="../window.py" line="256" />
      <source>Copy</source>
      <translation>نسخ</translation>
    </message>
    <message>
      <location filename="../window.py" line="258" />
      <source>Cut</source>
      <translation>قطع</translation>
    </message>
    <message>
      <location filename="../window.py" line="260" />
      <source>Paste</source>
      <translation>لصق</translation>
    </message>
    <message>
      <location filename="../window.py" line="263" />
      <source>Paste image</source>
      <translation>لصق صورة</translation>
    </message>
    <message>
      <location filename="../window.py" line="268" />
      <source>Move line up</source>
      <translation>تحريك سطر للاعلى</translation>
    </message>
    <message>
      <location filename="../window.py" line="270" />
      <source>Move line down</source>
      <translation>تحريك سطر للاسفل</translation>
    </message>
    <message>
      <location filename="../window.py" line="278" />
      <source>Enable</source>
      <translation>تفعيل</translation>
    </message>
    <message>
      <location filename="../window.py" line="279" />
      <source>Set locale</source>
      <translation>تعيين محلي</translation>
    </message>
    <message>
      <location filename="../window.py" line="280" />
      <source>Use WebEngine (Chromium) renderer</source>
      <translation>استخدم ويب اينجن (WebEngine) كروميموم المعالج</translation>
    </message>
    <message>
      <location filename="../window.py" line="286" />
      <source>Show directory</source>
      <translation>اظهار الدليل</translation>
    </message>
    <message>
      <location filename="../window.py" line="287" />
      <source>Show directory tree</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../window.py" line="291" />
      <source>Next</source>
      <translation>التالي</translation>
    </message>
    <message>
      <location filename="../window.py" line="293" />
      <source>Previous</source>
      <translation>السابق</translation>
    </message>
    <message>
      <location filename="../window.py" line="295" />
      <source>Replace</source>
      <translation>استبدال</translation>
    </message>
    <message>
      <location filename="../window.py" line="297" />
      <source>Replace all</source>
      <translation>استبدال الجميع</translation>
    </message>
    <message>
      <location filename="../window.py" line="300" />
      <source>Close</source>
      <translation>غلق</translation>
    </message>
    <message>
      <location filename="../window.py" line="304" />
      <source>Get help online</source>
      <translation>طلب مساعدة على الانترنيت</translation>
    </message>
    <message>
      <location filename="../window.py" line="305" />
      <source>What's new</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../window.py" line="306" />
      <source>About ReText</source>
      <translation>عن ريتيكست (ReText)</translation>
    </message>
    <message>
      <location filename="../window.py" line="309" />
      <source>About Qt</source>
      <translation>عن كيو تي QT</translation>
    </message>
    <message>
      <location filename="../window.py" line="324" />
      <source>Bold</source>
      <translation>غامق</translation>
    </message>
    <message>
      <location filename="../window.py" line="326" />
      <source>Italic</source>
      <translation>مائل</translation>
    </message>
    <message>
      <location filename="../window.py" line="328" />
      <source>Underline</source>
      <translation>تحت الخط</translation>
    </message>
    <message>
      <location filename="../window.py" line="405" />
      <location filename="../window.py" line="337" />
      <source>Formatting</source>
      <translation>التنسيق</translation>
    </message>
    <message>
      <location filename="../window.py" line="341" />
      <source>Symbols</source>
      <translation>رموز</translation>
    </message>
    <message>
      <location filename="../window.py" line="346" />
      <source>&amp;File</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../window.py" line="347" />
      <source>&amp;Edit</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../window.py" line="348" />
      <source>&amp;Help</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../window.py" line="353" />
      <source>Open recent</source>
      <translation>فتح المؤخر</translation>
    </message>
    <message>
      <location filename="../window.py" line="368" />
      <source>Export</source>
      <translation>تصدير</translation>
    </message>
    <message>
      <location filename="../window.py" line="393" />
      <source>Spell check</source>
      <translation>تفقد الاملاء</translation>
    </message>
    <message>
      <location filename="../window.py" line="402" />
      <source>Default markup</source>
      <translation>الترميز الافتراضي</translation>
    </message>
    <message>
      <location filename="../window.py" line="450" />
      <source>Search</source>
      <translation>بحث</translation>
    </message>
    <message>
      <location filename="../window.py" line="453" />
      <source>Replace with</source>
      <translation>استبدال مع</translation>
    </message>
    <message>
      <location filename="../window.py" line="455" />
      <source>Case sensitively</source>
      <translation>حساسية الحروف الكبيرة والصغيرة</translation>
    </message>
    <message>
      <location filename="../window.py" line="635" />
      <location filename="../window.py" line="592" />
      <source>New document</source>
      <translation>مستند جديد</translation>
    </message>
    <message>
      <location filename="../window.py" line="784" />
      <source>Type the line number</source>
      <translation>نوع رقم السطر </translation>
    </message>
    <message>
      <location filename="../window.py" line="820" />
      <source>Please, save the file somewhere.</source>
      <translation>رجاءاً، حفظ الملف بمكان ما.</translation>
    </message>
    <message>
      <location filename="../window.py" line="933" />
      <source>Select one or several files to open</source>
      <translation>تحديد واحد او عدّة ملفات لفتحها</translation>
    </message>
    <message>
      <location filename="../window.py" line="1342" />
      <location filename="../window.py" line="934" />
      <source>Supported files</source>
      <translation>الملفات المدعومة</translation>
    </message>
    <message>
      <location filename="../window.py" line="1342" />
      <location filename="../window.py" line="934" />
      <source>All files (*)</source>
      <translation>جميع الملفات (*)</translation>
    </message>
    <message>
      <location filename="../window.py" line="992" />
      <source>Plain text (*.txt)</source>
      <translation>نص عادي (*.txt)</translation>
    </message>
    <message>
      <location filename="../window.py" line="996" />
      <source>%s files</source>
      <comment>Example of final string: Markdown files</comment>
      <translation>%s ملفات </translation>
    </message>
    <message>
      <location filename="../window.py" line="1066" />
      <location filename="../window.py" line="1010" />
      <source>Save file</source>
      <translation>حفظ الملف</translation>
    </message>
    <message>
      <location filename="../window.py" line="1018" />
      <source>Cannot save to file which is open in another tab!</source>
      <translation>لايمكن حفظ الملف الذي فتح في تبويب اخر</translation>
    </message>
    <message>
      <location filename="../window.py" line="1056" />
      <source>Export document to ODT</source>
      <translation>تصدير المستند الى صيغة ODT</translation>
    </message>
    <message>
      <location filename="../window.py" line="1057" />
      <source>OpenDocument text files (*.odt)</source>
      <translation>فتح مستند نص ملفات (*.odt)</translation>
    </message>
    <message>
      <location filename="../window.py" line="1067" />
      <source>HTML files (*.html *.htm)</source>
      <translation>ملفات HTML (*.html *.htm) </translation>
    </message>
    <message>
      <location filename="../window.py" line="1087" />
      <source>Unrecognized paperSize setting "%s".</source>
      <translation>غير واضح اعدادات حجم الورقة "%s".</translation>
    </message>
    <message>
      <location filename="../window.py" line="1102" />
      <source>Export document to PDF</source>
      <translation>تصدير الملف الى بيدي اف PDF</translation>
    </message>
    <message>
      <location filename="../window.py" line="1104" />
      <source>PDF files (*.pdf)</source>
      <translation>ملفات PDF (*.pdf)</translation>
    </message>
    <message>
      <location filename="../window.py" line="1133" />
      <source>Print document</source>
      <translation>طباعة مستند</translation>
    </message>
    <message>
      <location filename="../window.py" line="1156" />
      <source>Export document</source>
      <translation>تصدير مستند</translation>
    </message>
    <message>
      <location filename="../window.py" line="1176" />
      <source>Failed to execute the command:</source>
      <translation>فشل في تنفيذ الامر:</translation>
    </message>
    <message>
      <location filename="../window.py" line="1212" />
      <source>Alt text</source>
      <translation>نص بديل</translation>
    </message>
    <message>
      <location filename="../window.py" line="1213" />
      <location filename="../window.py" line="1212" />
      <source>URL</source>
      <translation>رابط</translation>
    </message>
    <message>
      <location filename="../window.py" line="1213" />
      <source>Link text</source>
      <translation>نص الرابط</translation>
    </message>
    <message>
      <location filename="../window.py" line="1254" />
      <source>This file has been deleted by other application.
Please make sure you save the file before exit.</source>
      <translation>هذا الملف تم مسحه من تطبيق اخر
تأكد من حفظ هذا الملف قبل الخروج</translation>
    </message>
    <message>
      <location filename="../window.py" line="1263" />
      <source>This document has been modified by other application.
Do you want to reload the file (this will discard all your changes)?
</source>
      <translation>هذا الملف تم التعديل عليه من تطبيق اخر
هل تريد اعادة تحميل الملف (سيلغي جميع تعديلاتك)؟
</translation>
    </message>
    <message>
      <location filename="../window.py" line="1268" />
      <source>Automatic saving has been temporarily disabled for this tab to prevent data loss. It will be re-enabled when you reload the file or save it manually.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="../window.py" line="1293" />
      <source>The document has been modified.
Do you want to save your changes?</source>
      <translation>المستند تم التعديل عليه.
هل تريد حفظ تعديلاتك؟</translation>
    </message>
    <message>
      <location filename="../window.py" line="1330" />
      <source>HTML code</source>
      <translation>نص ال HTML</translation>
    </message>
    <message>
      <location filename="../window.py" line="1341" />
      <source>Select one or several images to open</source>
      <translation>اختر واحد او عدّة صور لفتحها</translation>
    </message>
    <message>
      <location filename="../window.py" line="1362" />
      <source>ReText %s (using PyMarkups %s)</source>
      <translation>ري تيكست ReText  %s (يستخدم PyMarkups %s)</translation>
    </message>
    <message>
      <location filename="../window.py" line="1363" />
      <source>Simple but powerful editor for Markdown and reStructuredText</source>
      <translation>بسيط لكن محرر قوي ل مارك داون Markdown  و ريستركجر تيكست reStructuredText</translation>
    </message>
    <message>
      <location filename="../window.py" line="1365" />
      <source>Author: Dmitry Shachnev, 2011</source>
      <translation>المحرر: ديمتر شاكنيف، 2011</translation>
    </message>
    <message>
      <location filename="../window.py" line="1368" />
      <source>Markdown syntax</source>
      <translation>بناء الجملة ل مارك داون Markdown </translation>
    </message>
    <message>
      <location filename="../window.py" line="1370" />
      <source>reStructuredText syntax</source>
      <translation>بناء الجملة ل ريستكرجرتيكست reStructuredText </translation>
    </message>
  </context>
  <context>
    <name>TextInfoArea</name>
    <message>
      <location filename="../editor.py" line="738" />
      <source>%d w | %d a | %d c</source>
      <comment>count of words, alphanumeric characters, all characters</comment>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>main</name>
    <message>
      <location filename="../__main__.py" line="85" />
      <source>Open the files in preview mode</source>
      <translation>فتح الملف بوضع العرض</translation>
    </message>
    <message>
      <location filename="../__main__.py" line="87" />
      <source>Create a new window even if there is an existing one</source>
      <translation>انشاء نافذة جديدة حتى اذا وجدت واحدة</translation>
    </message>
    <message>
      <location filename="../__main__.py" line="91" />
      <source>List of files to open</source>
      <translation>قائمة الملفات لفتحها</translation>
    </message>
  </context>
</TS>
