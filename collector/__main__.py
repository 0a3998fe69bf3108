from collector import main

main()
